package troupe.core.model.train;

import com.typesafe.config.ConfigFactory;
import troupe.core.config.ConfigReader;

/**
 * AdamW + schedule + clipping hyperparameters.
 *
 * @param learningRate peak LR after warmup
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param eps denominator guard of Adam
 * @param weightDecay decoupled decay λ (Loshchilov &amp; Hutter, arXiv 1711.05101), applied to
 *     matrices only (rank ≥ 2), not to biases, norm gains or the value-head bias (nanoGPT)
 * @param maxGradNorm global-norm clip threshold; ≤ 0 disables clipping
 * @param warmupSteps linear warmup from LR/warmup to LR
 * @param totalSteps end of the cosine decay; ≤ warmup means constant LR after warmup
 * @param minLrRatio cosine floor as a fraction of the peak LR
 */
public record OptimizerSettings(double learningRate, double beta1, double beta2, double eps, double weightDecay,
                                double maxGradNorm, int warmupSteps, int totalSteps, double minLrRatio) {

    /**
     * The supervised commands' AdamW (sft, make-base, train-rm, the model bench), nanoGPT's: the
     * {@code troupe.supervised.optimizer} block of reference.conf. Total steps 0: a command decays
     * with a cosine over its own steps; its flags override the learning rate and warmup.
     */
    public static OptimizerSettings defaults() {
        return adamW(ConfigReader.at(ConfigFactory.defaultReference(), "troupe.supervised.optimizer"), 0);
    }

    /**
     * Reads every key of the learner's optimizer block ({@code troupe.learner.optimizer}); a bad
     * value fails naming its full key.
     *
     * @param totalSteps the run's optimizer steps: the end of the cosine decay when
     *     {@code cosine-decay} is on
     */
    public static OptimizerSettings fromConfig(ConfigReader r, int totalSteps) {
        return adamW(r, r.bool("cosine-decay") ? totalSteps : 0);
    }

    /** The AdamW, clipping and warmup keys of {@code r}, with the decay ending at {@code totalSteps}. */
    private static OptimizerSettings adamW(ConfigReader r, int totalSteps) {
        return new OptimizerSettings(
                r.doubleAbove("learning-rate", 0, 1),
                r.doubleIn("beta1", 0, 0.999999),
                r.doubleIn("beta2", 0, 0.999999),
                r.doubleAbove("eps", 0, 1),
                r.doubleIn("weight-decay", 0, 1),
                r.doubleIn("max-grad-norm", 0, 1e9),
                r.intIn("warmup-steps", 0, 10_000_000),
                totalSteps,
                r.doubleIn("min-lr-ratio", 0, 1));
    }

    public OptimizerSettings {
        if (!(learningRate >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)
                || !(weightDecay >= 0) || warmupSteps < 0 || !(minLrRatio >= 0 && minLrRatio <= 1)) {
            throw new IllegalArgumentException("invalid optimizer settings " + this);
        }
    }

    public OptimizerSettings withSchedule(double lr, int warmup, int total) {
        return new OptimizerSettings(lr, beta1, beta2, eps, weightDecay, maxGradNorm, warmup, total, minLrRatio);
    }

    /**
     * LR at optimizer step {@code step} (0-based): lr·(step+1)/warmup during warmup, then
     * lr_min + ½(1 + cos(π·r))(lr − lr_min) with r = (step − warmup)/(total − warmup) clipped to [0, 1].
     */
    public double learningRateAt(long step) {
        if (step < warmupSteps) {
            return learningRate * (step + 1) / warmupSteps;
        }
        if (totalSteps <= warmupSteps) {
            return learningRate;
        }
        double r = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
        double min = learningRate * minLrRatio;
        return min + 0.5 * (1 + Math.cos(Math.PI * r)) * (learningRate - min);
    }
}
