package troupe.core.rl;

import com.typesafe.config.Config;
import java.util.List;
import troupe.core.algo.preference.PreferenceSettings;
import troupe.core.config.ConfigReader;

/**
 * Which learning algorithm the learner runs ({@code troupe.learner.algorithm}) and the settings
 * only that algorithm reads. Kept apart from {@link LearnerSettings}, whose blocks every
 * algorithm shares (optimizer, micro-batch, weighting, normalisation, weight export).
 *
 * @param name {@link #POLICY_GRADIENT} (the advantage estimator picks GRPO, RLOO, …) or
 *     {@link #ONLINE_DPO} (pairs chosen/rejected within each prompt's group, preference loss)
 * @param preference loss and hyperparameters of online DPO ({@code troupe.learner.preference})
 * @param minRewardGap online DPO: a group whose scalar rewards span at most this gives no pair
 *     ({@code troupe.learner.preference.min-reward-gap}), ≥ 0
 */
public record LearnerAlgorithm(String name, PreferenceSettings preference, double minRewardGap) {
    public static final String POLICY_GRADIENT = "policy-gradient";
    public static final String ONLINE_DPO = "online-dpo";
    public static final List<String> NAMES = List.of(POLICY_GRADIENT, ONLINE_DPO);

    public LearnerAlgorithm {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown learner algorithm '" + name + "'; supported: " + NAMES);
        }
        if (!(minRewardGap >= 0)) {
            throw new IllegalArgumentException("minimum reward gap must be >= 0, got " + minRewardGap);
        }
    }

    /** Reads {@code troupe.learner.algorithm} and {@code troupe.learner.preference} of a merged config. */
    public static LearnerAlgorithm fromConfig(Config root) {
        ConfigReader r = ConfigReader.at(root, "troupe.learner");
        String name = r.oneOf("algorithm", NAMES);
        PreferenceSettings preference = PreferenceSettings.fromConfig(r.block("preference"));
        double gap = r.block("preference").doubleIn("min-reward-gap", 0, 1e6);
        return new LearnerAlgorithm(name, preference, gap);
    }

    public boolean onlineDpo() {
        return name.equals(ONLINE_DPO);
    }
}
