package troupe.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import org.apache.pekko.stream.javadsl.Sink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.bench.SubscriberLoad;
import troupe.config.TroupeSettings;
import troupe.proto.v1.LearnerEvent;

/**
 * {@code troupe bench subscribers}: the step time of the embedded job with no client attached and
 * with {@code --clients} gRPC Watch calls plus as many SSE dashboards ({@link SubscriberLoad}),
 * the same job from the same policy, one after the other (alternating with {@code --rounds}).
 * Steps are counted from the first event after every client is subscribed, past a warm-up;
 * checkpoints are off so that no step carries a save the other variant does not.
 */
@Command(name = "subscribers", description = {
    "Step time of the embedded job with 0 and with N gRPC Watch + N SSE clients attached (some",
    "never reading), in this JVM on loopback; prints the mean of each and their ratio."})
final class SubscribersBenchCommand implements Callable<Integer> {
    /** Longest wait for the clients' subscriptions to reach the hub. */
    private static final long SUBSCRIBE_TIMEOUT_MS = 120_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BenchRunOptions run;

    @Option(names = "--clients", defaultValue = "100", description = "gRPC Watch clients, and as many SSE (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--non-readers", defaultValue = "20",
            description = "of each kind, clients that never read (default ${DEFAULT-VALUE})")
    int nonReaders;

    @Option(names = "--steps", defaultValue = "20", description = "steps measured per variant (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "3",
            description = "steps excluded once the clients are on (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--rounds", defaultValue = "1", description = "times both variants run in turn (default ${DEFAULT-VALUE})")
    int rounds;

    /** One variant's run: mean step and learn-stage time over the measured steps, what the clients got. */
    record Figures(int subscribers, double stepSeconds, double learnMillis, long grpcEvents, long grpcMissed,
            long sseBytes) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (clients < 1 || nonReaders < 0 || nonReaders > clients || steps < 1 || warmup < 0 || rounds < 1) {
            err.println("error: need --clients >= 1, 0 <= --non-readers <= --clients, --steps >= 1, --warmup >= 0,"
                    + " --rounds >= 1");
            return Main.EXIT_USAGE;
        }
        Path out = Files.createTempDirectory("troupe-bench-subscribers");
        // Loopback on free ports, checkpoints off, steps unbounded: the bench stops each job itself.
        Config merged = ConfigFactory.parseString("troupe.grpc { host = \"127.0.0.1\", port = 0 }\n"
                        + "troupe.http { host = \"127.0.0.1\", port = 0 }\n"
                        + "troupe.checkpoint { every-n-steps = 0, on-shutdown = false }\n"
                        + "troupe.run.output-dir = \"" + out.toString().replace("\\", "/") + "\"")
                .withFallback(run.merged(SoakCommand.UNBOUNDED_STEPS)).resolve();
        TroupeSettings s = TroupeSettings.fromConfig(merged);
        if (s.grpc().tls() || clients > s.grpc().maxWatchSubscribers()) {
            err.printf("error: the clients need plaintext gRPC and troupe.grpc.max-watch-subscribers >= --clients"
                    + " (%d)%n", s.grpc().maxWatchSubscribers());
            return Main.EXIT_USAGE;
        }
        Path model = run.modelDir(s);
        List<Figures[]> all = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            all.add(new Figures[] {variant(merged, s, model, 0, r), variant(merged, s, model, clients, r)});
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf("model %s, %d prompts x %d samples per step, %d steps measured after %d warm-up, clients in this JVM"
                        + " on loopback: %d gRPC Watch + %d SSE (%d + %d never read), torch threads %s%n%n", model,
                s.pipeline().promptsPerStep(), s.pipeline().groupSize(), steps, warmup, clients, clients, nonReaders,
                nonReaders, System.getProperty("ai.djl.pytorch.num_threads", "default"));
        o.println("| round | subscribers | s/step | learn ms/step | Watch events read (missed) | SSE bytes read |");
        o.println("|---:|---:|---:|---:|---:|---:|");
        double ratio = 0;
        for (int r = 0; r < all.size(); r++) {
            for (Figures f : all.get(r)) {
                o.printf(Locale.ROOT, "| %d | %d | %.3f | %.0f | %d (%d) | %d |%n", r + 1, f.subscribers(),
                        f.stepSeconds(), f.learnMillis(), f.grpcEvents(), f.grpcMissed(), f.sseBytes());
            }
            ratio += all.get(r)[1].stepSeconds() / all.get(r)[0].stepSeconds();
        }
        ratio /= all.size();
        o.printf(Locale.ROOT, "%nstep time with %d subscribers / without: %.3fx (%+.1f%%; mean of %d round(s))%n",
                2 * clients, ratio, 100 * (ratio - 1), all.size());
        o.flush();
        return 0;
    }

    private Figures variant(Config merged, TroupeSettings s, Path model, int n, int round) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try (EmbeddedJob job = EmbeddedJob.start(merged, s, "subscribers-" + n + "-r" + (round + 1), model, true,
                err)) {
            int before = job.run().hub().subscriberCount();
            SubscriberLoad load = n == 0 ? null : SubscriberLoad.attach("127.0.0.1", job.servers().grpcPort(),
                    job.servers().httpPort(), n, nonReaders);
            try {
                long deadline = System.currentTimeMillis() + SUBSCRIBE_TIMEOUT_MS;
                while (job.run().hub().subscriberCount() < before + 2 * n && !job.ended()) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("only " + (job.run().hub().subscriberCount() - before) + " of "
                                + 2 * n + " clients subscribed within " + SUBSCRIBE_TIMEOUT_MS / 1000 + " s");
                    }
                    Thread.sleep(10);
                }
                long from = job.step() + warmup;
                err.printf("subscribers %d: clients on at step %d; measuring steps %d-%d%n", 2 * n, job.step(),
                        from + 1, from + steps);
                CompletableFuture<List<LearnerEvent>> measured = job.run().events()
                        .dropWhile(e -> e.getStep() <= from).take(steps)
                        .runWith(Sink.seq(), job.run().system()).toCompletableFuture();
                CompletableFuture.anyOf(measured, job.run().result().toCompletableFuture()).join();
                List<LearnerEvent> ev = measured.getNow(List.of());
                job.stop(); // a failed run throws here
                if (ev.isEmpty()) {
                    throw new IllegalStateException("the run ended before step " + (from + 1));
                }
                double step = ev.stream().mapToDouble(e -> e.getThroughput().getStepSeconds()).average().orElseThrow();
                double learn = ev.stream().flatMap(e -> e.getStageTimingsList().stream())
                        .filter(t -> t.getStage().equals("learn")).mapToDouble(t -> t.getMillis()).sum() / ev.size();
                return load == null ? new Figures(0, step, learn, 0, 0, 0)
                        : new Figures(2 * n, step, learn, load.grpcEvents(), load.grpcMissed(), load.sseBytes());
            } finally {
                if (load != null) {
                    load.close();
                }
            }
        }
    }
}
