package troupe.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import troupe.config.TroupeSettings;
import troupe.core.model.GradMode;
import troupe.core.model.sampling.SamplingSettings;
import troupe.core.pareto.Hypervolume;
import troupe.core.task.HeldOutEval;
import troupe.core.task.Task;
import troupe.core.task.TaskRegistry;
import troupe.pipeline.LocalEngines;
import troupe.pipeline.Run;

/**
 * Weighting strategies side by side at an equal sample budget: for each strategy and seed, one
 * embedded run (servers and checkpoints off, temp output folder) of the same steps and batch
 * size from the same base policy, then the final policy is decoded on the task's held-out
 * prompts at the run's temperature. Each (strategy, seed) gives a point in objective space,
 * both coordinates maximised:
 * <pre>
 * p = (held-out accuracy, −mean response length in chars)
 * </pre>
 * The hypervolume reference point is the base policy's own held-out point minus a margin,
 * {@code ρ = (acc₀ − 0.05, −len₀ − 0.05·len₀)}: a strategy scores HV > 0 only where it is not
 * much worse than the untrained policy on both objectives, and the margin keeps a policy that
 * merely matches the base on one objective from scoring exactly zero. The base point is
 * computed once, with the same held-out prompts and evaluation seed as every final policy.
 */
public final class WeightingBench {

    /** Accuracy margin of the reference point below the base policy. */
    public static final double ACCURACY_MARGIN = 0.05;
    /** Length margin of the reference point, as a fraction of the base policy's mean length. */
    public static final double LENGTH_MARGIN = 0.05;
    /** Sampling seed of every held-out evaluation, so policies differ by weights only. */
    public static final long EVAL_SEED = 12345L;

    /** One (strategy, seed): held-out accuracy, mean chars, and the seconds of the run + evaluation. */
    public record Point(String strategy, long seed, double accuracy, double meanChars, double seconds) {
        public double[] objectives() {
            return new double[] {accuracy, -meanChars};
        }
    }

    /** Per strategy: means over seeds, hypervolume of the seeds' points together and per point. */
    public record Row(String strategy, List<Point> points, double meanAccuracy, double meanChars,
            double hvUnion, double hvMeanPerSeed, double seconds) {}

    /** Everything measured: the base point, the reference point and one row per strategy. */
    public record Report(HeldOutEval.Result base, double[] reference, List<Row> rows) {}

    private WeightingBench() {}

    /**
     * @param config merged config (user file over reference, resolved); its weighting strategy
     *     and seed are overridden per run
     * @param heldOut held-out prompts per evaluation
     * @param log progress lines (stderr), or null
     */
    public static Report run(Config config, Path model, List<String> strategies, List<Long> seeds, int heldOut,
            PrintWriter log) throws Exception {
        TroupeSettings s = TroupeSettings.fromConfig(config);
        Task task = TaskRegistry.create(s.run().task(), ConfigFactory.empty());
        HeldOutEval.Settings eval = evalSettings(s, heldOut);
        HeldOutEval.Result base = evaluate(model, task, eval);
        double[] ref = {base.accuracy() - ACCURACY_MARGIN, -base.meanChars() * (1 + LENGTH_MARGIN)};
        note(log, "base policy: accuracy %.3f, mean chars %.2f (%.0fs)", base.accuracy(), base.meanChars(),
                base.seconds());
        List<Row> rows = new ArrayList<>();
        for (String strategy : strategies) {
            List<Point> points = new ArrayList<>();
            for (long seed : seeds) {
                Point p = trainAndEvaluate(config, model, task, eval, strategy, seed);
                note(log, "%s seed %d: accuracy %.3f, mean chars %.2f (%.0fs)", strategy, seed, p.accuracy(),
                        p.meanChars(), p.seconds());
                points.add(p);
            }
            rows.add(row(strategy, points, ref));
        }
        return new Report(base, ref, rows);
    }

    static HeldOutEval.Settings evalSettings(TroupeSettings s, int heldOut) {
        double t = s.sampling().temperature();
        return HeldOutEval.Settings.defaults().withCount(heldOut).withSampling(
                new SamplingSettings(t, 0, 1.0, s.sampling().maxNewTokens(), EVAL_SEED, false, t));
    }

    static Row row(String strategy, List<Point> points, double[] ref) {
        List<double[]> xs = points.stream().map(Point::objectives).toList();
        double hvEach = 0;
        for (double[] x : xs) {
            hvEach += Hypervolume.of(List.of(x), ref);
        }
        int n = points.size();
        return new Row(strategy, List.copyOf(points), points.stream().mapToDouble(Point::accuracy).sum() / n,
                points.stream().mapToDouble(Point::meanChars).sum() / n, Hypervolume.of(xs, ref), hvEach / n,
                points.stream().mapToDouble(Point::seconds).sum());
    }

    private static Point trainAndEvaluate(Config config, Path model, Task task, HeldOutEval.Settings eval,
            String strategy, long seed) throws Exception {
        long t0 = System.nanoTime();
        Path out = Files.createTempDirectory("troupe-wbench");
        Config c = ConfigFactory.empty()
                .withValue("troupe.learner.weighting.strategy", ConfigValueFactory.fromAnyRef(strategy))
                .withValue("troupe.run.seed", ConfigValueFactory.fromAnyRef(seed))
                .withValue("troupe.run.output-dir", ConfigValueFactory.fromAnyRef(out.toString()))
                .withValue("troupe.checkpoint.every-n-steps", ConfigValueFactory.fromAnyRef(0))
                .withValue("troupe.checkpoint.on-shutdown", ConfigValueFactory.fromAnyRef(false))
                .withFallback(config).resolve();
        TroupeSettings s = TroupeSettings.fromConfig(c);
        Path finalModel = out.resolve("final");
        try (LocalEngines e = LocalEngines.load(c, s, model);
                Run run = Run.start(c, s, "wbench-" + strategy + "-" + seed, e.components())) {
            Run.Result r = run.result().toCompletableFuture().join();
            if (r.steps() != s.run().steps()) {
                throw new IllegalStateException(strategy + " seed " + seed + " stopped after " + r.steps()
                        + " of " + s.run().steps() + " steps");
            }
            e.saveModel(finalModel);
        }
        HeldOutEval.Result h = evaluate(finalModel, task, eval);
        deleteTree(out);
        return new Point(strategy, seed, h.accuracy(), h.meanChars(), (System.nanoTime() - t0) / 1e9);
    }

    private static HeldOutEval.Result evaluate(Path model, Task task, HeldOutEval.Settings eval) throws IOException {
        // GradMode calls into the PyTorch JNI library, which only loading the engine links.
        ai.djl.engine.Engine.getEngine("PyTorch");
        GradMode.offOnThisThread();
        return HeldOutEval.run(model, task, eval);
    }

    /** The markdown table: one row per strategy. */
    public static void print(PrintWriter out, Report r) {
        out.printf("base policy (held-out): accuracy %.3f, mean length %.2f chars; HV reference point "
                + "(accuracy, -chars) = (%.3f, %.2f)%n%n", r.base().accuracy(), r.base().meanChars(),
                r.reference()[0], r.reference()[1]);
        out.println("| strategy | seeds | held-out accuracy (mean) | mean length, chars (mean) | brevity = -chars "
                + "| HV of seeds' points | HV per seed (mean) | wall s (total) |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Row x : r.rows()) {
            out.printf("| %s | %d | %.3f | %.2f | %.2f | %.4f | %.4f | %.0f |%n", x.strategy(), x.points().size(),
                    x.meanAccuracy(), x.meanChars(), -x.meanChars(), x.hvUnion(), x.hvMeanPerSeed(), x.seconds());
        }
        out.println();
        out.println("| strategy | seed | accuracy | mean chars |");
        out.println("|---|---:|---:|---:|");
        for (Row x : r.rows()) {
            for (Point p : x.points()) {
                out.printf("| %s | %d | %.3f | %.2f |%n", p.strategy(), p.seed(), p.accuracy(), p.meanChars());
            }
        }
    }

    private static void note(PrintWriter log, String format, Object... args) {
        if (log != null) {
            log.printf(format + "%n", args);
            log.flush();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
