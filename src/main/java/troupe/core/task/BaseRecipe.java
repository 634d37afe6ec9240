package troupe.core.task;

import java.util.Map;

/**
 * How {@code troupe make-base} trains a task's tiny base policy from scratch: draw
 * {@code examples} SFT pairs from the task's training split, start from a fresh byte-level
 * {@code init} model, run {@code steps} AdamW steps. The per-task values are tuned so the base
 * policy's held-out accuracy lands between 20% and 60% (room for RL to improve) in under three
 * minutes on 2 CPU cores; {@code models/README.md} records what each produced.
 *
 * @param init init spec of the fresh model ({@link troupe.core.model.train.ModelInit})
 * @param examples SFT examples drawn (repeats possible) with {@code task.sftExamples(seed, examples)}
 * @param steps optimizer steps
 * @param batchSize sequences per step
 * @param learningRate peak AdamW LR (linear warmup, cosine decay to 0.1× over the run)
 * @param warmupSteps warmup steps
 * @param seed seed of the examples, the initialisation and the shuffling
 */
public record BaseRecipe(String init, int examples, int steps, int batchSize, double learningRate, int warmupSteps,
                         long seed) {

    public BaseRecipe {
        if (examples < 1 || steps < 1 || batchSize < 1 || !(learningRate > 0) || warmupSteps < 0) {
            throw new IllegalArgumentException("invalid base recipe " + this);
        }
    }

    /** Tuned recipes of the built-in tasks. */
    private static final Map<String, BaseRecipe> TUNED = Map.of(
            // 150 steps gave 24.5% greedy, 250 gave 96.5%: the knee is steep, 170 sits inside the band.
            ReverseTask.NAME, new BaseRecipe("demo", 4000, 170, 64, 2e-3, 20, 0L),
            // Harder: 800 steps on 4000 examples gave 10% greedy, lr 3e-3/5e-3 learned slower; more
            // distinct examples and 900 steps gave 11% — the most 3 minutes on 2 shared cores allowed.
            ArithmeticTask.NAME, new BaseRecipe("demo", 50000, 900, 64, 2e-3, 20, 0L));

    /** A recipe for tasks without a tuned one: the demo model, 600 steps of 32 at 1e-3. */
    public static BaseRecipe fallback() {
        return new BaseRecipe("demo", 4000, 600, 32, 1e-3, 20, 0L);
    }

    /** The tuned recipe of {@code task}, else {@link #fallback()}. */
    public static BaseRecipe forTask(String task) {
        return TUNED.getOrDefault(task, fallback());
    }
}
