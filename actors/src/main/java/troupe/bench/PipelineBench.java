package troupe.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.stream.javadsl.Sink;
import troupe.config.TroupeSettings;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.StepResult;
import troupe.core.reward.SafeScoring;
import troupe.core.reward.ScoringRound;
import troupe.core.rollout.RolloutBatch;
import troupe.pipeline.LocalEngines;
import troupe.pipeline.Run;
import troupe.proto.v1.LearnerEvent;

/**
 * Pipeline overhead and async speed-up, measured side by side in one JVM on the same model:
 * <ol>
 *   <li>isolated — the four stages called back to back on one thread, no actors, no streams;
 *   <li>sync — the actor pipeline with {@code max-policy-lag = 0};
 *   <li>async — the same with {@code max-policy-lag = 1} (generation of batch n+1 overlaps
 *       training on batch n).
 * </ol>
 * The first {@code warmup} steps of each are excluded (JIT, allocator, torch thread pools).
 */
public final class PipelineBench {

    /** Mean seconds per step and samples per second of one variant. */
    public record Figures(String variant, double stepSeconds, double samplesPerSecond) {}

    private PipelineBench() {}

    public static List<Figures> run(Config config, Path model, int steps, int warmup) throws Exception {
        List<Figures> out = new ArrayList<>();
        out.add(isolated(config, model, steps, warmup));
        out.add(pipeline("sync (lag 0)", config, model, steps, warmup, 0));
        out.add(pipeline("async (lag 1)", config, model, steps, warmup, 1));
        return out;
    }

    static Figures isolated(Config config, Path model, int steps, int warmup) {
        TroupeSettings s = TroupeSettings.fromConfig(config);
        ExecutorService pool = Executors.newCachedThreadPool();
        try (LocalEngines e = LocalEngines.load(config, s, model)) {
            Run.Components c = e.components();
            double total = 0;
            int samples = 0;
            for (int step = 1; step <= steps; step++) {
                long t0 = System.nanoTime();
                RolloutBatch b = c.generators().get(0).generate(new RolloutRequest("bench", step,
                        c.prompts().next(s.pipeline().promptsPerStep()), s.pipeline().groupSize(),
                        c.sampling().withSeed(s.run().seed() ^ step)));
                b = ScoringRound.of(SafeScoring.runAll(c.scorers(), ScoringRound.inputsOf(b),
                        Duration.ofMillis(s.pipeline().scorerDeadline().toMillis()), pool)).applyTo(b);
                b = b.withReferenceLogprobs(c.reference().referenceLogprobs(b));
                StepResult r = c.learner().train(step, b);
                c.generators().get(0).applyWeights(r.weights());
                if (step > warmup) {
                    total += (System.nanoTime() - t0) / 1e9;
                    samples += b.size();
                }
            }
            int n = steps - warmup;
            return new Figures("isolated stages, back to back", total / n, samples / total);
        } finally {
            pool.shutdownNow();
        }
    }

    static Figures pipeline(String name, Config config, Path model, int steps, int warmup, int lag) throws Exception {
        Path out = Files.createTempDirectory("troupe-bench");
        Config c = ConfigFactory.parseString("troupe.pipeline.max-policy-lag = " + lag
                        + "\ntroupe.run.output-dir = \"" + out.toString().replace("\\", "/") + "\""
                        + "\ntroupe.checkpoint.every-n-steps = 0\ntroupe.checkpoint.on-shutdown = false")
                .withFallback(config).resolve();
        TroupeSettings s = TroupeSettings.fromConfig(c);
        try (LocalEngines e = LocalEngines.load(c, s, model);
                Run run = Run.start(c, s, "bench-lag" + lag, e.components())) {
            var seen = run.events().runWith(Sink.seq(), run.system());
            run.result().toCompletableFuture().join();
            List<LearnerEvent> events = seen.toCompletableFuture().join();
            double total = 0;
            int samples = 0;
            for (LearnerEvent ev : events) {
                if (ev.getStep() > warmup) {
                    total += ev.getThroughput().getStepSeconds();
                    samples += (int) Math.round(ev.getThroughput().getSamplesPerSecond()
                            * ev.getThroughput().getStepSeconds());
                }
            }
            int n = events.size() - warmup;
            return new Figures(name, total / n, samples / total);
        }
    }
}
