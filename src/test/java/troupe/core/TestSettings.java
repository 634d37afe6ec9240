package troupe.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import troupe.core.algo.advantage.AdvantageSettings;
import troupe.core.algo.dapo.DynamicSamplingSettings;
import troupe.core.algo.dapo.OverlongSettings;
import troupe.core.algo.kl.KlControllerSettings;
import troupe.core.algo.kl.KlSettings;
import troupe.core.algo.policy.ImportanceCorrectionSettings;
import troupe.core.algo.policy.PolicyLossSettings;
import troupe.core.algo.policy.ValueLossSettings;
import troupe.core.algo.preference.PreferenceSettings;
import troupe.core.config.ConfigReader;
import troupe.core.model.train.OptimizerSettings;
import troupe.core.weighting.GdpoStrategy;
import troupe.core.weighting.HypervolumeGuidedStrategy;
import troupe.core.weighting.MaxMinStrategy;
import troupe.core.weighting.MirrorDescentStrategy;
import troupe.core.weighting.SimplexSettings;
import troupe.core.weighting.WeightingSettings;

/**
 * Settings records as a run builds them: read from the blocks of core's reference.conf (the only
 * place defaults live), so a test that needs another value says so with a {@code withX} copy.
 */
public final class TestSettings {

    /** Core's reference.conf alone (no application.conf, no system properties). */
    public static final Config REFERENCE = ConfigFactory.defaultReference();

    private TestSettings() {}

    /** The reader of {@code troupe.learner.<path>} in reference.conf. */
    public static ConfigReader learner(String path) {
        return ConfigReader.at(REFERENCE, "troupe.learner." + path);
    }

    public static AdvantageSettings advantage() {
        return AdvantageSettings.fromConfig(learner("advantage"));
    }

    public static PolicyLossSettings policyLoss() {
        return PolicyLossSettings.fromConfig(learner("policy-loss"));
    }

    public static KlSettings kl() {
        return KlSettings.fromConfig(learner("kl"));
    }

    public static KlControllerSettings klController() {
        return KlControllerSettings.fromConfig(learner("kl-controller"));
    }

    public static ImportanceCorrectionSettings importance() {
        return ImportanceCorrectionSettings.fromConfig(learner("importance-correction"));
    }

    public static ValueLossSettings valueLoss() {
        return ValueLossSettings.fromConfig(learner("value-loss"));
    }

    public static PreferenceSettings preference() {
        return PreferenceSettings.fromConfig(learner("preference"));
    }

    public static OverlongSettings overlong() {
        return OverlongSettings.fromConfig(learner("overlong"));
    }

    public static DynamicSamplingSettings dynamicSampling() {
        return DynamicSamplingSettings.fromConfig(learner("dynamic-sampling"));
    }

    public static OptimizerSettings optimizer(int totalSteps) {
        return OptimizerSettings.fromConfig(learner("optimizer"), totalSteps);
    }

    public static WeightingSettings weighting() {
        return WeightingSettings.fromConfig(learner("weighting"));
    }

    /** The shared simplex settings with equal initial weights (the worked examples' start). */
    public static SimplexSettings equalWeights() {
        return weighting().simplex().withInitialWeights(java.util.Map.of());
    }

    public static GdpoStrategy.Settings gdpo() {
        return (GdpoStrategy.Settings) weighting().strategies().get(GdpoStrategy.NAME);
    }

    public static HypervolumeGuidedStrategy.Settings hypervolume() {
        return (HypervolumeGuidedStrategy.Settings) weighting().strategies().get(HypervolumeGuidedStrategy.NAME);
    }

    public static MirrorDescentStrategy.Settings mirrorDescent() {
        return (MirrorDescentStrategy.Settings) weighting().strategies().get(MirrorDescentStrategy.NAME);
    }

    /** {@code maxmin} or {@code soft-maxmin}. */
    public static MaxMinStrategy.Settings maxmin(String name) {
        return (MaxMinStrategy.Settings) weighting().strategies().get(name);
    }
}
