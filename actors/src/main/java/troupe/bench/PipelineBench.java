package troupe.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Sink;
import troupe.config.TroupeSettings;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.StepResult;
import troupe.core.reward.SafeScoring;
import troupe.core.rollout.RolloutBatch;
import troupe.pipeline.LocalEngines;
import troupe.pipeline.Pipeline;
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
 * Isolated and sync draw the same prompts with the same per-batch sampling seeds
 * ({@link Pipeline#batchSeed}) from the same initial weights, so they do exactly the same work.
 * The first {@code warmup} steps of each are excluded (JIT, allocator, torch thread pools). With
 * several rounds the three variants run in turn once per round, so a change in the machine's
 * load spreads over all of them instead of falling on one.
 */
public final class PipelineBench {

    /**
     * One variant's figures in one round.
     *
     * @param cpuSecondsPerStep process CPU time per measured step, every thread
     * @param stageMillis mean busy milliseconds per step by stage ({@link StageProfile})
     * @param overStages mean over the measured steps of step time ÷ the sum of that step's own stage
     *     times (generate, reward, reference, learn, weights to the generator): what the pipeline adds
     *     to its stages. Both come from the same step, so unlike a ratio to another variant (which
     *     ran minutes earlier) it does not move with the machine's load. 1 for the isolated variant;
     *     below 1 when stages overlap (async).
     */
    public record Figures(String variant, double stepSeconds, double samplesPerSecond, double cpuSecondsPerStep,
            Map<String, Double> stageMillis, double overStages) {}

    private PipelineBench() {}

    /** {@code rounds} rounds of the three variants; the list has one list of three figures per round. */
    public static List<List<Figures>> run(Config config, Path model, int steps, int warmup, int rounds)
            throws Exception {
        if (warmup < 1 || steps <= warmup) {
            // The CPU clock starts at the last warm-up step's event, so there must be one.
            throw new IllegalArgumentException("need 1 <= warmup < steps, got warmup " + warmup + ", steps " + steps);
        }
        List<List<Figures>> out = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            out.add(List.of(isolated(config, model, steps, warmup),
                    pipeline("sync (lag 0)", config, model, steps, warmup, 0),
                    pipeline("async (lag 1)", config, model, steps, warmup, 1)));
        }
        return out;
    }

    static Figures isolated(Config config, Path model, int steps, int warmup) {
        TroupeSettings s = TroupeSettings.fromConfig(config);
        ExecutorService pool = Executors.newCachedThreadPool();
        try (LocalEngines e = LocalEngines.load(config, s, model)) {
            Run.Components c = e.components();
            StageProfile profile = new StageProfile();
            double total = 0;
            double cpuStart = 0;
            int samples = 0;
            for (long step = 1; step <= steps; step++) {
                if (step == warmup + 1) {
                    cpuStart = StageProfile.processCpuSeconds();
                }
                long t0 = System.nanoTime();
                RolloutBatch b = c.generators().get(0).generate(new RolloutRequest("bench", step,
                        c.prompts().next(s.pipeline().promptsPerStep()), s.pipeline().groupSize(),
                        c.sampling().withSeed(Pipeline.batchSeed(s.run().seed(), step))));
                long t1 = System.nanoTime();
                b = b.withRewards(SafeScoring.runAll(c.scorers(), b.scoreInputs(),
                        Duration.ofMillis(s.pipeline().scorerDeadline().toMillis()), pool), List.of());
                long t2 = System.nanoTime();
                b = b.withReferenceLogprobs(c.reference().referenceLogprobs(b));
                long t3 = System.nanoTime();
                StepResult r = c.learner().train((int) step, b);
                long t4 = System.nanoTime();
                c.generators().get(0).applyWeights(r.weights());
                long t5 = System.nanoTime();
                if (step > warmup) {
                    total += (t5 - t0) / 1e9;
                    samples += b.size();
                    profile.add("generate", (t1 - t0) / 1e6);
                    profile.add("reward", (t2 - t1) / 1e6);
                    profile.add("reference", (t3 - t2) / 1e6);
                    profile.add("learn", (t4 - t3) / 1e6);
                    profile.addBroadcast((t5 - t4) / 1e6);
                    profile.step();
                }
            }
            int n = steps - warmup;
            return new Figures("isolated stages, back to back", total / n, samples / total,
                    (StageProfile.processCpuSeconds() - cpuStart) / n, profile.meanMillis(), 1.0);
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
            // Each event with the process CPU time when it arrived.
            var seen = run.events().map(ev -> Pair.create(ev, StageProfile.processCpuSeconds()))
                    .runWith(Sink.seq(), run.system());
            run.result().toCompletableFuture().join();
            List<Pair<LearnerEvent, Double>> events = seen.toCompletableFuture().join();
            StageProfile profile = new StageProfile();
            double total = 0;
            double cpuStart = Double.NaN;
            double cpuEnd = Double.NaN;
            int samples = 0;
            double overStages = 0;
            for (Pair<LearnerEvent, Double> p : events) {
                LearnerEvent ev = p.first();
                if (ev.getStep() == warmup) {
                    cpuStart = p.second();
                }
                if (ev.getStep() > warmup) {
                    cpuEnd = p.second();
                    total += ev.getThroughput().getStepSeconds();
                    samples += (int) Math.round(ev.getThroughput().getSamplesPerSecond()
                            * ev.getThroughput().getStepSeconds());
                    double stageSum = ev.getThroughput().getWeightBroadcastMillis();
                    for (var t : ev.getStageTimingsList()) {
                        profile.add(t.getStage(), t.getMillis());
                        stageSum += StageProfile.isStage(t.getStage()) ? t.getMillis() : 0;
                    }
                    overStages += 1000 * ev.getThroughput().getStepSeconds() / stageSum;
                    profile.addBroadcast(ev.getThroughput().getWeightBroadcastMillis());
                    profile.step();
                }
            }
            int n = events.size() - warmup;
            return new Figures(name, total / n, samples / total, (cpuEnd - cpuStart) / n, profile.meanMillis(),
                    overStages / n);
        }
    }
}
