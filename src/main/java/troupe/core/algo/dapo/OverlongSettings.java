package troupe.core.algo.dapo;

import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/**
 * DAPO overlong reward shaping settings (arXiv 2503.14476 §3.4; verl
 * {@code reward_model.overlong_buffer}), from the {@code troupe.learner.overlong} block (its
 * {@code enabled} switch is the learner's; defaults in reference.conf).
 *
 * @param maxLength L_max, the generation limit in tokens; 0 = the batch's own limit
 *     ({@code max-new-tokens}), resolved per batch with {@link #forLimit}. The paper: 20480
 * @param buffer L_c, the soft-penalty zone before L_max, tokens; 1..L_max. The paper: 4096
 * @param factor penalty at L_max, ≥ 0 (verl {@code penalty_factor})
 */
public record OverlongSettings(int maxLength, int buffer, double factor) {

    public OverlongSettings {
        if (maxLength < 0 || buffer <= 0 || (maxLength > 0 && buffer > maxLength) || !(factor >= 0)) {
            throw new IllegalArgumentException("need max-length >= 0, 0 < buffer <= max-length and factor >= 0, got "
                    + maxLength + ", " + buffer + ", " + factor);
        }
    }

    /** Reads the shaping keys of the block; a bad value fails naming its full key. */
    public static OverlongSettings fromConfig(ConfigReader r) {
        int maxLength = r.intIn("max-length", 0, 10_000_000);
        int buffer = r.intIn("buffer", 1, 10_000_000);
        if (maxLength > 0 && buffer > maxLength) {
            throw SettingsException.because(r.key("buffer"), "must not exceed max-length " + maxLength + ", got " + buffer);
        }
        return new OverlongSettings(maxLength, buffer, r.doubleIn("factor", 0, 1e6));
    }

    /** These settings with L_max resolved for a batch sampled with {@code maxNewTokens}. */
    public OverlongSettings forLimit(int maxNewTokens) {
        int limit = maxLength > 0 ? maxLength : maxNewTokens;
        if (buffer > limit) {
            throw new IllegalArgumentException("troupe.learner.overlong.buffer: " + buffer
                    + " exceeds the generation limit " + limit + " tokens");
        }
        return new OverlongSettings(limit, buffer, factor);
    }

    public OverlongSettings withMaxLength(int tokens) {
        return new OverlongSettings(tokens, buffer, factor);
    }

    public OverlongSettings withBuffer(int tokens) {
        return new OverlongSettings(maxLength, tokens, factor);
    }
}
