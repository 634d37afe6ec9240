package troupe.core.algo.policy;

import com.typesafe.config.Config;
import troupe.core.algo.ConfigValues;

/**
 * Behaviour-vs-learner importance correction (ALGORITHMS.md §9; TRL GRPO
 * {@code vllm_importance_sampling_*}).
 *
 * <p>Config keys (optional): {@code mode}, {@code cap}.
 *
 * @param mode none | token-truncate | token-mask | sequence-truncate | sequence-mask; TRL's
 *     default is sequence-mask
 * @param cap C: truncation cap or masking threshold on the ratio. TRL's is
 *     {@code GRPOConfig.vllm_importance_sampling_clip_max} (named {@code vllm_importance_sampling_cap}
 *     before TRL 1.6), default 3.0; TRL's optional lower bound
 *     {@code vllm_importance_sampling_clip_min} (default none) has no counterpart here
 */
public record ImportanceCorrectionSettings(String mode, double cap) {

    public static final ImportanceCorrectionSettings DEFAULTS = new ImportanceCorrectionSettings("sequence-mask", 2.0);

    public ImportanceCorrectionSettings {
        ImportanceCorrection.Mode.fromName(mode);
        if (!(cap > 0)) {
            throw new IllegalArgumentException("importance-correction cap must be positive, got " + cap);
        }
    }

    /** Reads the keys present in {@code config}; absent keys keep {@link #DEFAULTS}. */
    public static ImportanceCorrectionSettings fromConfig(Config config) {
        ConfigValues c = new ConfigValues(config);
        return new ImportanceCorrectionSettings(c.string("mode", DEFAULTS.mode), c.number("cap", DEFAULTS.cap));
    }
}
