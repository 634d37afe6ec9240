package troupe.core.model.train;

import java.nio.file.Path;
import java.util.function.Consumer;
import troupe.core.model.ModelType;

/**
 * Inputs of {@link Sft#run}.
 *
 * @param data JSONL file of prompt/completion pairs
 * @param baseModel HF folder to fine-tune, or null to start from a fresh {@code ModelConfig.demo}
 *     of {@code newModelType} with the built-in byte tokenizer
 * @param newModelType layout of a fresh model
 * @param output folder to write the trained model (HF format) to
 * @param epochs passes over the data (ignored when {@code maxSteps} &gt; 0)
 * @param maxSteps optimizer steps to run; ≤ 0 means {@code epochs} passes
 * @param batchSize sequences per optimizer step
 * @param maxLength prompt + completion tokens kept per example (completion truncated first)
 * @param optimizer AdamW settings; warmup/total steps are taken from here when total &gt; 0, else
 *     total = the run's step count
 * @param seed shuffling and fresh-model initialisation seed
 * @param logEvery steps between progress callbacks (the last step always reports)
 * @param progress callback, may be null
 */
public record SftOptions(Path data, Path baseModel, ModelType newModelType, Path output, int epochs, int maxSteps,
                         int batchSize, int maxLength, OptimizerSettings optimizer, long seed, int logEvery,
                         Consumer<SftProgress> progress) {

    /** Fresh Llama-layout demo model, 3 epochs, batch 16, length 256, lr 1e-3 with 10 warmup steps. */
    public static SftOptions defaults(Path data, Path output) {
        return new SftOptions(data, null, ModelType.LLAMA, output, 3, 0, 16, 256,
                OptimizerSettings.defaults().withSchedule(1e-3, 10, 0), 0L, 10, null);
    }

    public SftOptions withSteps(int steps, int batch) {
        return new SftOptions(data, baseModel, newModelType, output, epochs, steps, batch, maxLength, optimizer, seed,
                logEvery, progress);
    }

    public SftOptions withOptimizer(OptimizerSettings o) {
        return new SftOptions(data, baseModel, newModelType, output, epochs, maxSteps, batchSize, maxLength, o, seed,
                logEvery, progress);
    }

    public SftOptions withModel(Path base, ModelType type) {
        return new SftOptions(data, base, type, output, epochs, maxSteps, batchSize, maxLength, optimizer, seed,
                logEvery, progress);
    }

    public SftOptions withProgress(int every, Consumer<SftProgress> callback) {
        return new SftOptions(data, baseModel, newModelType, output, epochs, maxSteps, batchSize, maxLength, optimizer,
                seed, every, callback);
    }

    /**
     * One progress report.
     *
     * @param step optimizer steps done
     * @param totalSteps steps planned
     * @param loss mean NLL per completion token of this step's batch
     * @param tokensPerSecond trained (non-pad) tokens per second since the start
     * @param etaSeconds estimated seconds to finish
     */
    public record SftProgress(int step, int totalSteps, double loss, double tokensPerSecond, double etaSeconds) {
    }
}
