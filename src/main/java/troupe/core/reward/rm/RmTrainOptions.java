package troupe.core.reward.rm;

import java.nio.file.Path;
import java.util.function.Consumer;
import troupe.core.model.train.OptimizerSettings;

/**
 * Inputs of {@link RmTrainer#run}.
 *
 * @param pairs JSONL preference pairs ({@link PreferenceData})
 * @param startModel HF policy folder whose decoder and tokenizer the reward model starts from
 *     (a fresh init-spec model or a trained policy); the head starts at N(0, 0.02²), bias 0
 * @param output folder to write the reward model to ({@link RewardModelFolder})
 * @param steps optimizer steps ≥ 1
 * @param batchSize pairs per step ≥ 1 (2·B sequences per forward)
 * @param maxLength tokens kept per sequence (the last ones, which the head reads)
 * @param optimizer AdamW settings; total steps 0 = cosine over {@code steps}
 * @param seed head initialisation, held-out split and shuffling
 * @param heldOutFraction share of pairs held out for the pairwise accuracy, in (0, 1); at least one pair
 * @param logEvery steps between progress callbacks (the last step always reports)
 * @param progress callback, may be null
 */
public record RmTrainOptions(Path pairs, Path startModel, Path output, int steps, int batchSize, int maxLength,
                             OptimizerSettings optimizer, long seed, double heldOutFraction, int logEvery,
                             Consumer<Progress> progress) {

    /** Default held-out share: one pair in ten. */
    public static final double DEFAULT_HELD_OUT = 0.1;

    public RmTrainOptions {
        if (steps < 1 || batchSize < 1 || maxLength < 2) {
            throw new IllegalArgumentException("need steps >= 1, batch >= 1, max length >= 2");
        }
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("held-out fraction must be in (0, 1), got " + heldOutFraction);
        }
    }

    /** 200 steps of 16 pairs, length 256, lr 1e-3 with 10 warmup steps, seed 0, 10% held out. */
    public static RmTrainOptions defaults(Path pairs, Path startModel, Path output) {
        return new RmTrainOptions(pairs, startModel, output, 200, 16, 256,
                OptimizerSettings.defaults().withSchedule(1e-3, 10, 0), 0L, DEFAULT_HELD_OUT, 10, null);
    }

    public RmTrainOptions withSteps(int n, int batch) {
        return new RmTrainOptions(pairs, startModel, output, n, batch, maxLength, optimizer, seed, heldOutFraction,
                logEvery, progress);
    }

    public RmTrainOptions withOptimizer(OptimizerSettings o) {
        return new RmTrainOptions(pairs, startModel, output, steps, batchSize, maxLength, o, seed, heldOutFraction,
                logEvery, progress);
    }

    public RmTrainOptions withProgress(int every, Consumer<Progress> callback) {
        return new RmTrainOptions(pairs, startModel, output, steps, batchSize, maxLength, optimizer, seed,
                heldOutFraction, every, callback);
    }

    /**
     * @param step steps done
     * @param totalSteps steps planned
     * @param loss Bradley–Terry loss of this step's batch
     * @param accuracy pairwise accuracy of this step's batch
     * @param etaSeconds estimated seconds to finish
     */
    public record Progress(int step, int totalSteps, double loss, double accuracy, double etaSeconds) {
    }
}
