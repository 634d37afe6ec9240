package troupe.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.stream.javadsl.Source;
import troupe.cluster.node.NodeConfig;
import troupe.core.engine.RolloutEngine;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.WeightUpdate;
import troupe.core.engine.Prompt;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.SamplingParams;
import troupe.core.rollout.StageTiming;
import troupe.cluster.bulk.BulkChannel;
import troupe.pipeline.Pipeline;
import troupe.roles.Generator;
import troupe.roles.WeightBroadcast;

/**
 * {@code troupe bench transfer}: what the cluster data plane costs between JVMs on one machine.
 * Generator nodes are child JVMs hosting real {@link Generator} actors over an engine that
 * answers with a canned batch and loads weights as opaque bytes, so only transport,
 * serialisation, chunking and checksums are measured — never a model.
 *
 * <ul>
 *   <li>rollout batches: the learner side asks one remote generator for batches (the pipeline's
 *       request/reply path: a handle over Artery, the bytes over the {@link BulkChannel}) with
 *       the pipeline's {@code generator-parallelism} asks in flight, and with 4; side by side,
 *       the same asks answered with the batch itself over Artery (a second generator in the child
 *       with the bulk channel off), and the same exchange of the same bytes over a raw loopback
 *       socket to the same child ({@link RawLoopback}, the ceiling).
 *   <li>weight broadcast: {@link WeightBroadcast} of an F32 snapshot of P parameters, chunked
 *       by {@code troupe.learner.weight-chunk-size}, to N generator JVMs, as the learner sends it
 *       (each generator fetches it whole over the bulk channel).
 * </ul>
 */
public final class TransferBench {
    /** Rollout batch shape of the measurement: 64 prompts x 8 samples, 64 prompt + 256 response tokens. */
    static final int PROMPTS = 64;
    static final int GROUP = 8;
    static final int PROMPT_TOKENS = 64;
    static final int RESPONSE_TOKENS = 256;
    /** Asks outstanding in the streaming comparison, besides the pipeline's own parallelism. */
    private static final int STREAMING_IN_FLIGHT = 4;
    /** Warm-up of each in-flight setting before timing: both JVMs JIT-compile Artery and Kryo meanwhile. */
    private static final Duration WARM_UP = Duration.ofSeconds(20);
    /** The child's generator that answers with the batch itself over Artery. */
    private static final String ARTERY_ONLY = "generator-artery";

    /**
     * Medians of one in-flight setting. CPU is milliseconds per batch summed over both JVMs
     * (sender and receiver): unlike MB/s it hardly moves with the machine's load.
     */
    public record Rollout(int inFlight, int batchBytes, Path bulk, Path artery, Path raw) {}

    /** One path's medians: MB/s, its median ratio to the raw socket of the same round, CPU ms per batch. */
    public record Path(double mbPerSecond, double ratio, double cpuMsPerBatch) {}

    public record Broadcast(long parameters, int generators, double millis, double mbPerSecond) {}

    private TransferBench() {}

    static SamplingParams sampling() {
        return new SamplingParams(1f, 0, 1f, RESPONSE_TOKENS, 1, false, 1f);
    }

    static RolloutBatch batch(long batchId) {
        List<Sample> samples = new ArrayList<>();
        int[] prompt = new int[PROMPT_TOKENS];
        int[] response = new int[RESPONSE_TOKENS];
        float[] logp = new float[RESPONSE_TOKENS];
        java.util.Arrays.fill(logp, -1.5f);
        for (int p = 0; p < PROMPTS; p++) {
            for (int g = 0; g < GROUP; g++) {
                samples.add(Sample.sampled("p" + p, p, prompt, response, logp, logp, false, "prompt", "response",
                        "bench", java.util.Map.of()));
            }
        }
        return RolloutBatch.sampled("bench", batchId, 0, sampling(), samples, new StageTiming("generate", 0, "bench"));
    }

    static RolloutRequest request(long batchId) {
        List<Prompt> prompts = new ArrayList<>();
        for (int p = 0; p < PROMPTS; p++) {
            prompts.add(new Prompt("p" + p, "prompt", new int[PROMPT_TOKENS], "bench", java.util.Map.of()));
        }
        return new RolloutRequest("bench", batchId, prompts, GROUP, sampling());
    }

    /** The child side: one generator with a canned batch, and a raw socket serving the same bytes. */
    public static void serve(int seedPort, int rawPort) throws Exception {
        RolloutBatch canned = batch(0);
        RolloutEngine engine = new RolloutEngine() {
            private long version;

            @Override
            public RolloutBatch generate(RolloutRequest r) {
                return RolloutBatch.sampled("bench", r.batchId(), version, r.sampling(), canned.samples(),
                        new StageTiming("generate", 0, "bench"));
            }

            @Override
            public void applyWeights(WeightUpdate update) {
                version = update.version(); // bytes only: no model to load
            }

            @Override
            public long policyVersion() {
                return version;
            }
        };
        ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
            ctx.spawn(Generator.create(engine), "generator", DispatcherSelector.blocking());
            ctx.spawn(Generator.create(engine, Duration.ofMinutes(2), false), ARTERY_ONLY,
                    DispatcherSelector.blocking());
            return Behaviors.<Void>empty();
        }), "troupe", config("generator", 0, seedPort));
        if (rawPort > 0) {
            RawLoopback.serve(rawPort, SerializationExtension.get(system).serialize(canned).get());
        }
        system.getWhenTerminated().toCompletableFuture().get();
    }

    static Config config(String role, int port, int seedPort) {
        return ConfigFactory.parseString("pekko.remote.artery.canonical.port = " + port
                        + "\npekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:" + seedPort + "\"]"
                        + "\npekko.coordinated-shutdown.exit-jvm = off")
                .withFallback(NodeConfig.load(List.of(role), Optional.of("local"), Optional.empty()));
    }

    /**
     * Learner side: {@code rounds} rounds of {@code batches} batches with {@code inFlight} asks
     * outstanding, each round timing the bulk path, the Artery-only path and the raw socket back to
     * back, after one warm-up of all three. Medians over the rounds, ratios as the median of the
     * per-round ratios (the machine's load drifts; a ratio taken back to back is what is comparable).
     */
    public static Rollout rollout(ActorSystem<?> system, ActorRef<Generator.Command> generator,
            ActorRef<Generator.Command> arteryOnly, int rawPort, ProcessHandle child, int batches, int inFlight,
            int rounds) throws Exception {
        int bytes = SerializationExtension.get(system).serialize(batch(0)).get().length;
        long warm = System.nanoTime() + WARM_UP.toNanos(); // until the JIT has settled: this measures steady state
        do {
            askBatches(system, generator, batches, inFlight);
            askBatches(system, arteryOnly, batches, inFlight);
            RawLoopback.mbPerSecond(rawPort, batches, inFlight);
        } while (System.nanoTime() < warm);
        double[][] mb = new double[3][rounds];
        double[][] cpu = new double[3][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int path = 0; path < 3; path++) {
                double before = cpuMillis(child);
                double seconds = path == 2 ? batches * (double) bytes / 1e6 / RawLoopback.mbPerSecond(rawPort,
                        batches, inFlight) : askBatches(system, path == 0 ? generator : arteryOnly, batches, inFlight);
                mb[path][r] = batches * (double) bytes / seconds / 1e6;
                cpu[path][r] = (cpuMillis(child) - before) / batches;
            }
        }
        Path[] paths = new Path[3];
        for (int path = 0; path < 3; path++) {
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = mb[path][r] / mb[2][r];
            }
            paths[path] = new Path(median(mb[path]), median(ratio), median(cpu[path]));
        }
        return new Rollout(inFlight, bytes, paths[0], paths[1], paths[2]);
    }

    /** CPU time so far of this JVM and {@code child}, in milliseconds (NaN where the OS does not say). */
    private static double cpuMillis(ProcessHandle child) {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN)
                + child.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
    }

    /** Seconds to receive {@code batches} batches through asks, {@code inFlight} outstanding, as the pipeline receives them. */
    private static double askBatches(ActorSystem<?> system, ActorRef<Generator.Command> generator, int batches,
            int inFlight) throws Exception {
        long start = System.nanoTime();
        Source.range(1, batches)
                .mapAsync(inFlight, i -> AskPattern.<Generator.Command, Generator.GenerateReply>ask(generator,
                        r -> new Generator.Generate(request(i), r), Duration.ofSeconds(60), system.scheduler())
                        .thenCompose(reply -> Pipeline.received(reply, system)))
                .runForeach(r -> {
                    if (!(r instanceof Generator.BatchGenerated)) {
                        throw new IllegalStateException(r.toString());
                    }
                }, system)
                .toCompletableFuture().get(10, TimeUnit.MINUTES);
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One timed broadcast of {@code update} to {@code targets}, as the learner runs it. */
    public static Broadcast broadcast(ActorSystem<?> system, WeightUpdate update,
            Set<ActorRef<Generator.Command>> targets, long parameters) throws Exception {
        CompletableFuture<WeightBroadcast.Finished> done = new CompletableFuture<>();
        system.systemActorOf(Behaviors.<WeightBroadcast.Finished>setup(ctx -> {
            ctx.spawnAnonymous(WeightBroadcast.create(update, WeightBroadcast.Purpose.STEP, targets,
                    Duration.ofMinutes(5), ctx.getSelf()));
            return Behaviors.receiveMessage(f -> {
                done.complete(f);
                return Behaviors.stopped();
            });
        }), "broadcast-" + update.version(), Props.empty());
        WeightBroadcast.Finished f = done.get(10, TimeUnit.MINUTES);
        if (f.applied() != targets.size()) {
            throw new IllegalStateException("broadcast missed: " + f.missed());
        }
        return new Broadcast(parameters, targets.size(), f.millis(),
                update.totalBytes() * (double) targets.size() / (f.millis() / 1e3) / 1e6);
    }

    /** An F32 snapshot's worth of bytes for {@code parameters}, chunked like the learner's. */
    static WeightUpdate snapshot(long version, long parameters, int chunkBytes) {
        long total = parameters * Float.BYTES;
        java.util.Random random = new java.util.Random(version);
        List<byte[]> chunks = new ArrayList<>();
        for (long off = 0; off < total; off += chunkBytes) {
            byte[] c = new byte[(int) Math.min(chunkBytes, total - off)];
            random.nextBytes(c);
            chunks.add(c);
        }
        return WeightUpdate.of(version, chunks);
    }

    /** Waits until {@code count} generators named {@code name} are registered; returns them in a stable order. */
    static List<ActorRef<Generator.Command>> awaitGenerators(ActorSystem<?> system, int count, String name)
            throws Exception {
        CompletableFuture<List<ActorRef<Generator.Command>>> found = new CompletableFuture<>();
        system.systemActorOf(Behaviors.<Receptionist.Listing>setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(Generator.KEY, ctx.getSelf()));
            return Behaviors.receiveMessage(l -> {
                var live = new ArrayList<>(l.getServiceInstances(Generator.KEY));
                live.removeIf(g -> !g.path().name().equals(name));
                if (live.size() >= count) {
                    live.sort((a, b) -> a.path().toString().compareTo(b.path().toString()));
                    found.complete(live);
                    return Behaviors.stopped();
                }
                return Behaviors.same();
            });
        }), "await-" + name, Props.empty());
        return found.get(2, TimeUnit.MINUTES);
    }

    /**
     * Runs the whole benchmark: starts {@code max(generatorCounts)} child JVMs, measures rollout
     * transfer against the first, then one broadcast per (size, count) after a warm-up one.
     */
    public static void run(java.io.PrintWriter out, List<Long> sizes, List<Integer> generatorCounts, int batches,
            int rounds, String childHeap) throws Exception {
        if (batches < 1 || rounds < 1) {
            throw new IllegalArgumentException("--batches and --rounds must be >= 1");
        }
        int seedPort = freePort();
        int rawPort = freePort();
        Config config = config("learner", seedPort, seedPort);
        int chunkBytes = (int) config.getBytes("troupe.learner.weight-chunk-size").longValue();
        int children = generatorCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "troupe", config);
        List<Process> started = new ArrayList<>();
        try {
            for (int i = 0; i < children; i++) {
                started.add(child(seedPort, i == 0 ? rawPort : 0, childHeap));
            }
            List<ActorRef<Generator.Command>> gens = awaitGenerators(system, children, "generator");
            ActorRef<Generator.Command> arteryOnly = awaitGenerators(system, children, ARTERY_ONLY).stream()
                    .filter(g -> g.path().address().equals(gens.get(0).path().address())).findFirst().orElseThrow();
            int pipeline = config.getInt("troupe.pipeline.generator-parallelism");
            List<Rollout> rows = new ArrayList<>();
            for (int inFlight : new java.util.TreeSet<>(List.of(pipeline, STREAMING_IN_FLIGHT))) {
                rows.add(rollout(system, gens.get(0), arteryOnly, rawPort, started.get(0).toHandle(), batches,
                        inFlight, rounds));
            }
            out.printf("rollout batch: %d samples, %d bytes (Kryo); %d batches per timing, median of %d rounds%n"
                    + "(troupe.pipeline.generator-parallelism = %d)%n%n", PROMPTS * GROUP, rows.get(0).batchBytes(),
                    batches, rounds, pipeline);
            out.println("| asks in flight | path | MB/s | batches/s | vs raw | CPU ms/batch (both JVMs) |");
            out.println("|---:|---|---:|---:|---:|---:|");
            for (Rollout r : rows) {
                row(out, r, "bulk channel (pipeline)", r.bulk());
                row(out, r, "Artery only", r.artery());
                row(out, r, "raw socket", r.raw());
            }
            out.println();
            out.printf("weight broadcast: F32, chunks of %d bytes, each generator fetching the whole snapshot "
                    + "over the bulk channel%n%n", chunkBytes);
            out.println("| parameters | generators | ms | MB/s delivered |");
            out.println("|---:|---:|---:|---:|");
            long version = 1;
            broadcast(system, snapshot(version++, 1_000_000, chunkBytes), Set.copyOf(gens), 1_000_000); // warm-up
            for (long p : sizes) {
                for (int n : generatorCounts) {
                    WeightUpdate u = snapshot(version++, p, chunkBytes);
                    Broadcast b = broadcast(system, u, Set.copyOf(gens.subList(0, n)), p);
                    out.printf("| %,d | %d | %.0f | %.0f |%n", p, n, b.millis(), b.mbPerSecond());
                    out.flush();
                }
            }
        } finally {
            started.forEach(Process::destroy);
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static void row(java.io.PrintWriter out, Rollout r, String name, Path p) {
        out.printf("| %d | %s | %.0f | %.1f | %.2f | %.1f |%n", r.inFlight(), name, p.mbPerSecond(),
                p.mbPerSecond() * 1e6 / r.batchBytes(), p.ratio(), p.cpuMsPerBatch());
    }

    private static Process child(int seedPort, int rawPort, String heap) throws IOException {
        List<String> cmd = List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-cp", System.getProperty("java.class.path"), "troupe.cli.Main", "bench", "transfer", "--serve",
                "--seed-port", String.valueOf(seedPort), "--raw-port", String.valueOf(rawPort));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
