package troupe.core.algo.policy;

import troupe.core.config.ConfigReader;

/**
 * Behaviour-vs-learner importance correction (ALGORITHMS.md §9; TRL GRPO
 * {@code vllm_importance_sampling_*}).
 *
 * <p>Config keys ({@code troupe.learner.importance-correction}, defaults in reference.conf):
 * {@code mode}, {@code cap}.
 *
 * @param mode none | token-truncate | token-mask | sequence-truncate | sequence-mask; TRL's
 *     default is sequence-mask
 * @param cap C: truncation cap or masking threshold on the ratio. TRL's is
 *     {@code GRPOConfig.vllm_importance_sampling_clip_max} (named {@code vllm_importance_sampling_cap}
 *     before TRL 1.6), default 3.0; TRL's optional lower bound
 *     {@code vllm_importance_sampling_clip_min} (default none) has no counterpart here
 */
public record ImportanceCorrectionSettings(String mode, double cap) {

    public ImportanceCorrectionSettings {
        ImportanceCorrection.Mode.fromName(mode);
        if (!(cap > 0)) {
            throw new IllegalArgumentException("importance-correction cap must be positive, got " + cap);
        }
    }

    /** Reads every key of the block; a bad value fails naming its full key. */
    public static ImportanceCorrectionSettings fromConfig(ConfigReader r) {
        return new ImportanceCorrectionSettings(r.enumOf("mode", ImportanceCorrection.Mode.class).configName(),
                r.doubleAbove("cap", 0, 1e6));
    }

    public ImportanceCorrectionSettings withMode(String newMode) {
        return new ImportanceCorrectionSettings(newMode, cap);
    }

    public ImportanceCorrectionSettings withCap(double newCap) {
        return new ImportanceCorrectionSettings(mode, newCap);
    }
}
