package troupe.core.algo.dapo;

import com.typesafe.config.Config;
import troupe.core.algo.ConfigValues;

/**
 * DAPO overlong reward shaping settings (arXiv 2503.14476 §3.4; verl
 * {@code reward_model.overlong_buffer}).
 *
 * <p>Config keys (optional): {@code max-length}, {@code buffer}, {@code factor}.
 *
 * @param maxLength L_max, the generation limit in tokens; paper 20480 (recalled, unconfirmed)
 * @param buffer L_c, the soft-penalty zone before L_max; paper 4096 (recalled, unconfirmed)
 * @param factor penalty at L_max (verl {@code penalty_factor}, default 1.0)
 */
public record OverlongSettings(int maxLength, int buffer, double factor) {

    public static final OverlongSettings DEFAULTS = new OverlongSettings(20480, 4096, 1.0);

    public OverlongSettings {
        if (buffer <= 0 || buffer > maxLength || !(factor >= 0)) {
            throw new IllegalArgumentException("need 0 < buffer <= max-length and factor >= 0");
        }
    }

    /** Reads the keys present in {@code config}; absent keys keep {@link #DEFAULTS}. */
    public static OverlongSettings fromConfig(Config config) {
        ConfigValues c = new ConfigValues(config);
        return new OverlongSettings(
                c.integer("max-length", DEFAULTS.maxLength),
                c.integer("buffer", DEFAULTS.buffer),
                c.number("factor", DEFAULTS.factor));
    }
}
