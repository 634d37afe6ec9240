package troupe.core.algo.policy;

import troupe.core.algo.LossAggregation;
import troupe.core.config.ConfigReader;

/**
 * Critic loss settings (ALGORITHMS.md §3), from the {@code troupe.learner.value-loss} block
 * (defaults and why they follow TRL's shared-trunk PPO rather than verl: reference.conf).
 *
 * @param clip ε_v of the value clip, > 0; verl 0.5, TRL PPO 0.2
 * @param aggregation over tokens, as the policy loss
 * @param coef weight of the value loss in a shared-trunk total loss, ≥ 0; TRL vf_coef 0.1 (verl
 *     trains the critic separately, coefficient 1)
 */
public record ValueLossSettings(double clip, LossAggregation aggregation, double coef) {

    public ValueLossSettings {
        if (!(clip > 0) || !(coef >= 0)) {
            throw new IllegalArgumentException("value clip must be positive and coef non-negative");
        }
    }

    /** Reads every key of the block; a bad value fails naming its full key. */
    public static ValueLossSettings fromConfig(ConfigReader r) {
        return new ValueLossSettings(r.doubleAbove("clip", 0, 1e6), r.enumOf("aggregation", LossAggregation.class),
                r.doubleIn("coef", 0, 1e6));
    }

    public ValueLossSettings withClip(double newClip) {
        return new ValueLossSettings(newClip, aggregation, coef);
    }

    public ValueLossSettings withCoef(double newCoef) {
        return new ValueLossSettings(clip, aggregation, newCoef);
    }
}
