package troupe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import troupe.core.engine.Prompt;
import troupe.core.model.GradMode;
import troupe.core.model.sampling.SamplingSettings;
import troupe.core.prompts.HeldOutRewards;
import troupe.core.reward.RewardScorer;
import troupe.core.task.HeldOutEval;
import troupe.core.task.Task;

/**
 * The before/after table that ends `troupe run`: the held-out prompts (never trained on) decoded
 * greedily and sampled at the run's temperature, scored by the task's verifier — or, for a run on
 * a prompt file, by the run's own reward scorers, one pair of rows per objective.
 */
final class HeldOutSummary {

    /** One policy's held-out numbers, of a task or of a prompt file. */
    sealed interface Table permits Scores, ObjectiveScores {}

    /** One policy's held-out numbers on a task. */
    record Scores(HeldOutEval.Result greedy, HeldOutEval.Result sampled) implements Table {}

    /** One policy's held-out mean reward per objective (scorer order), greedy and sampled. */
    record ObjectiveScores(Map<String, Double> greedy, Map<String, Double> sampled) implements Table {}

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

    static ObjectiveScores evaluate(Path model, List<Prompt> prompts, List<RewardScorer> scorers, double temperature,
            int maxNew, long seed) throws IOException {
        GradMode.offOnThisThread();
        SamplingSettings greedy = HeldOutEval.Settings.defaults().sampling().withMaxNewTokens(maxNew);
        SamplingSettings sampled = new SamplingSettings(temperature, 0, 1.0, maxNew, seed, false, temperature);
        return new ObjectiveScores(HeldOutRewards.run(model, prompts, scorers, greedy),
                HeldOutRewards.run(model, prompts, scorers, sampled));
    }

    /** Rows {@code mean <objective>, greedy} and {@code mean <objective>, sampled}, in the objectives' own units. */
    static void print(PrintWriter out, int prompts, ObjectiveScores before, ObjectiveScores after) {
        out.printf("%nheld-out (%d prompts)        before     after    change%n", prompts);
        for (String objective : before.greedy().keySet()) {
            mean(out, "mean " + objective + ", greedy", before.greedy().get(objective),
                    after.greedy().getOrDefault(objective, Double.NaN));
            mean(out, "mean " + objective + ", sampled", before.sampled().get(objective),
                    after.sampled().getOrDefault(objective, Double.NaN));
        }
    }

    private static void mean(PrintWriter out, String name, double before, double after) {
        out.printf("%-26s %8.3f  %8.3f  %+8.3f%n", name, before, after, after - before);
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
