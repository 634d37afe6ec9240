package troupe.core.rl;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import troupe.core.algo.advantage.AdvantageSettings;
import troupe.core.algo.dapo.DynamicSamplingSettings;
import troupe.core.algo.dapo.OverlongSettings;
import troupe.core.algo.kl.KlControllerSettings;
import troupe.core.algo.kl.KlPlacement;
import troupe.core.algo.kl.KlSettings;
import troupe.core.algo.policy.ImportanceCorrectionSettings;
import troupe.core.algo.policy.PolicyLossSettings;
import troupe.core.algo.policy.ValueLossSettings;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;
import troupe.core.model.snapshot.SnapshotEncoding;
import troupe.core.model.train.OptimizerSettings;
import troupe.core.reward.NormalizationSettings;
import troupe.core.weighting.WeightingSettings;

/**
 * Everything the learner's compute reads, from the {@code troupe.learner} block (documented key by
 * key in reference.conf, the only place defaults live). Every sub-block is a typed record read and
 * validated by its own {@code fromConfig}; errors name the full key.
 *
 * @param advantage estimator and its parameters ({@code advantage} block)
 * @param policyLoss surrogate, clip range, aggregation, entropy coefficient ({@code policy-loss})
 * @param kl KL estimators and clamps ({@code kl}); β comes from {@code klController}
 * @param klController fixed or adaptive β ({@code kl-controller})
 * @param importance correction when the sampler's distribution differs from the learner's
 * @param optimizer AdamW, clipping and schedule ({@code optimizer}); total steps from the run
 * @param epochs passes over each batch; one optimizer step per pass
 * @param microBatch sequences per forward/backward (gradients accumulate across micro-batches)
 * @param weighting the strategy in use, the shared simplex settings and every strategy's own
 *     settings ({@code weighting}), so a strategy switched to mid-run or restored from a
 *     checkpoint gets its configured settings
 * @param gramParameters regex of parameter names whose gradients enter the per-objective Gram
 *     matrix of gradient-based weighting (costs one backward per objective)
 * @param healthTopK k of the top-k health indicators
 * @param healthSampleRows rows per step whose entropy and top-k health indicators are computed
 * @param encoding how weights travel to generators
 * @param chunkBytes largest weight chunk per message
 * @param normalization per-objective running z-scores before weighting; empty = raw scores
 * @param klPlacement where KL enters: loss term or token-reward penalty ({@code kl.placement})
 * @param valueLoss the critic's clipped value loss and its coefficient ({@code value-loss}; gae only)
 * @param overlong DAPO overlong reward shaping ({@code overlong}); empty = off
 * @param dynamicSampling DAPO dynamic sampling ({@code dynamic-sampling}); empty = off. Applied by
 *     the learner actor, which assembles a step from several rollout batches
 */
public record LearnerSettings(
        AdvantageSettings advantage,
        PolicyLossSettings policyLoss,
        KlSettings kl,
        KlControllerSettings klController,
        ImportanceCorrectionSettings importance,
        OptimizerSettings optimizer,
        int epochs,
        int microBatch,
        WeightingSettings weighting,
        String gramParameters,
        int healthTopK,
        int healthSampleRows,
        SnapshotEncoding encoding,
        int chunkBytes,
        Optional<NormalizationSettings> normalization,
        KlPlacement klPlacement,
        ValueLossSettings valueLoss,
        Optional<OverlongSettings> overlong,
        Optional<DynamicSamplingSettings> dynamicSampling) {

    /** True when the estimator needs a critic: the learner runs a value head. */
    public boolean needsCritic() {
        return advantage.estimator().equals("gae");
    }

    /** These settings with another policy loss (the learner algorithms gspo and cispo pick theirs). */
    public LearnerSettings withPolicyLoss(PolicyLossSettings loss) {
        return new LearnerSettings(advantage, loss, kl, klController, importance, optimizer, epochs, microBatch,
                weighting, gramParameters, healthTopK, healthSampleRows, encoding, chunkBytes, normalization,
                klPlacement, valueLoss, overlong, dynamicSampling);
    }

    /** Runs a factory that reports problems in its own words, attributing them to the block's key. */
    private static <T> T checked(String key, java.util.function.Supplier<T> factory) {
        try {
            return factory.get();
        } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
            throw SettingsException.because(key, e.getMessage());
        }
    }

    /** Reads {@code troupe.learner} of a merged config; {@code totalSteps} drives the LR schedule. */
    public static LearnerSettings fromConfig(Config root, int totalSteps) {
        ConfigReader r = ConfigReader.at(root, "troupe.learner");
        WeightingSettings weighting = WeightingSettings.fromConfig(r.block("weighting"));
        AdvantageSettings advantage = AdvantageSettings.fromConfig(r.block("advantage"));
        if (advantage.estimator().equals("remax")) {
            throw SettingsException.because(r.key("advantage.estimator"), "'remax' needs a greedy baseline "
                    + "rollout per prompt, which the generators do not produce; supported here: gae, grpo, dr-grpo, "
                    + "rloo, reinforce++, reinforce++-baseline");
        }
        ConfigReader kl = r.block("kl");
        String placement = kl.oneOf("placement", List.of("auto", "loss", "reward"));
        KlPlacement klPlacement = checked(kl.key("placement"), () -> KlPlacement.resolve(placement, advantage.estimator()));
        ConfigReader normalize = r.block("normalize");
        return new LearnerSettings(
                advantage,
                PolicyLossSettings.fromConfig(r.block("policy-loss")),
                KlSettings.fromConfig(kl),
                KlControllerSettings.fromConfig(r.block("kl-controller")),
                ImportanceCorrectionSettings.fromConfig(r.block("importance-correction")),
                OptimizerSettings.fromConfig(r.block("optimizer"), totalSteps),
                r.intIn("epochs", 1, 64),
                r.intIn("micro-batch", 1, 4096),
                weighting,
                r.string("gram-parameters"),
                r.intIn("health-top-k", 1, 1000),
                r.intIn("health-sample-rows", 1, 1 << 20),
                SnapshotEncoding.valueOf(r.oneOf("weight-encoding", List.of("F32", "BF16", "F16"))),
                (int) Math.min(Integer.MAX_VALUE, checked(r.key("weight-chunk-size"),
                        () -> r.raw().getBytes("weight-chunk-size"))),
                normalize.bool("enabled")
                        ? Optional.of(checked(r.key("normalize"),
                                () -> NormalizationSettings.fromConfig(normalize)))
                        : Optional.empty(),
                klPlacement,
                ValueLossSettings.fromConfig(r.block("value-loss")),
                r.block("overlong").bool("enabled")
                        ? Optional.of(OverlongSettings.fromConfig(r.block("overlong")))
                        : Optional.empty(),
                r.block("dynamic-sampling").bool("enabled")
                        ? Optional.of(DynamicSamplingSettings.fromConfig(r.block("dynamic-sampling")))
                        : Optional.empty());
    }
}
