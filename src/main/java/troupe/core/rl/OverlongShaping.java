package troupe.core.rl;

import troupe.core.algo.dapo.OverlongSettings;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/**
 * DAPO's soft overlong punishment as the learner applies it: added to each sample's scalar reward
 * before advantages ({@link troupe.core.algo.dapo.OverlongPenalty}), from the
 * {@code troupe.learner.overlong} block.
 *
 * @param maxLength L_max in tokens; 0 = the batch's generation limit ({@code max-new-tokens})
 * @param buffer L_c, the soft zone before L_max, tokens
 * @param factor penalty at L_max
 */
record OverlongShaping(int maxLength, int buffer, double factor) {

    static OverlongShaping fromConfig(ConfigReader r) {
        OverlongShaping s = new OverlongShaping(r.intIn("max-length", 0, 10_000_000), r.intIn("buffer", 1, 10_000_000),
                r.doubleIn("factor", 0, 1e6));
        if (s.maxLength > 0 && s.buffer > s.maxLength) {
            throw SettingsException.because(r.key("buffer"), "must not exceed max-length " + s.maxLength + ", got "
                    + s.buffer);
        }
        return s;
    }

    /** The penalty's settings for a batch sampled with {@code maxNewTokens}. */
    OverlongSettings settingsFor(int maxNewTokens) {
        int limit = maxLength > 0 ? maxLength : maxNewTokens;
        if (buffer > limit) {
            throw new IllegalArgumentException("troupe.learner.overlong.buffer: " + buffer
                    + " exceeds the generation limit " + limit + " tokens");
        }
        return new OverlongSettings(limit, buffer, factor);
    }
}
