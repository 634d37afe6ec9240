package troupe.core.algo.policy;

import com.typesafe.config.Config;
import troupe.core.algo.ConfigValues;
import troupe.core.algo.LossAggregation;

/**
 * Critic loss settings (ALGORITHMS.md §3). Config keys (optional): {@code clip},
 * {@code aggregation}, {@code coef}.
 *
 * @param clip ε_v of the value clip; verl 0.5, TRL PPO 0.2
 * @param aggregation verl token-mean
 * @param coef weight of the value loss in a shared-trunk total loss; TRL vf_coef 0.1 (verl trains
 *     the critic separately, coefficient 1)
 */
public record ValueLossSettings(double clip, LossAggregation aggregation, double coef) {

    public static final ValueLossSettings DEFAULTS = new ValueLossSettings(0.5, LossAggregation.TOKEN_MEAN, 1.0);

    public ValueLossSettings {
        if (!(clip > 0) || !(coef >= 0)) {
            throw new IllegalArgumentException("value clip must be positive and coef non-negative");
        }
    }

    public static ValueLossSettings fromConfig(Config config) {
        ConfigValues c = new ConfigValues(config);
        return new ValueLossSettings(c.number("clip", DEFAULTS.clip),
                LossAggregation.fromName(c.string("aggregation", DEFAULTS.aggregation.configName())),
                c.number("coef", DEFAULTS.coef));
    }
}
