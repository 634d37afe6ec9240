package troupe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import troupe.core.model.GradMode;
import troupe.core.model.sampling.SamplingSettings;
import troupe.core.task.HeldOutEval;
import troupe.core.task.Task;

/**
 * The before/after table that ends `troupe run`: the task's held-out prompts (never trained on)
 * decoded greedily and sampled at the run's temperature, scored by the task's verifier.
 */
final class HeldOutSummary {

    /** One policy's held-out numbers. */
    record Scores(HeldOutEval.Result greedy, HeldOutEval.Result sampled) {}

    private HeldOutSummary() {}

    static Scores evaluate(Path model, Task task, int prompts, double temperature, int maxNew, long seed)
            throws IOException {
        GradMode.offOnThisThread();
        HeldOutEval.Settings base = HeldOutEval.Settings.defaults().withCount(prompts);
        SamplingSettings greedy = base.sampling().withMaxNewTokens(maxNew);
        SamplingSettings sampled = new SamplingSettings(temperature, 0, 1.0, maxNew, seed, false, temperature);
        return new Scores(HeldOutEval.run(model, task, base.withSampling(greedy)),
                HeldOutEval.run(model, task, base.withSampling(sampled)));
    }

    static void print(PrintWriter out, int prompts, Scores before, Scores after) {
        out.printf("%nheld-out (%d prompts)        before     after    change%n", prompts);
        row(out, "accuracy, greedy", before.greedy().accuracy(), after.greedy().accuracy());
        row(out, "accuracy, sampled", before.sampled().accuracy(), after.sampled().accuracy());
        out.printf("%-26s %8.3f  %8.3f  %+8.3f%n", "mean score, sampled", before.sampled().meanScore(),
                after.sampled().meanScore(), after.sampled().meanScore() - before.sampled().meanScore());
        out.printf("%-26s %8.2f  %8.2f  %+8.2f%n", "mean length (chars)", before.sampled().meanChars(),
                after.sampled().meanChars(), after.sampled().meanChars() - before.sampled().meanChars());
    }

    private static void row(PrintWriter out, String name, double before, double after) {
        out.printf("%-26s %7.1f%%  %7.1f%%  %+6.1f pp%n", name, 100 * before, 100 * after, 100 * (after - before));
    }
}
