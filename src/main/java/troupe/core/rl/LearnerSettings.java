package troupe.core.rl;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import troupe.core.algo.advantage.AdvantageSettings;
import troupe.core.algo.dapo.DynamicSamplingSettings;
import troupe.core.algo.kl.KlPlacement;
import troupe.core.algo.policy.ValueLossSettings;
import troupe.core.algo.kl.KlControllerSettings;
import troupe.core.algo.kl.KlSettings;
import troupe.core.algo.policy.ImportanceCorrectionSettings;
import troupe.core.algo.policy.PolicyLossSettings;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;
import troupe.core.weighting.WeightingRegistry;
import troupe.core.model.snapshot.SnapshotEncoding;
import troupe.core.model.train.OptimizerSettings;
import troupe.core.reward.NormalizationSettings;

/**
 * Everything the learner's compute reads, from the {@code troupe.learner} block (documented key by
 * key in reference.conf).
 *
 * @param advantage estimator and its parameters ({@code advantage} block)
 * @param policyLoss surrogate, clip range, aggregation, entropy coefficient ({@code policy-loss})
 * @param kl KL estimators and clamps ({@code kl}); β comes from {@code klController}
 * @param klController fixed or adaptive β ({@code kl-controller})
 * @param importance correction when the sampler's distribution differs from the learner's
 * @param optimizer AdamW, clipping and schedule ({@code optimizer}); total steps from the run
 * @param epochs passes over each batch; one optimizer step per pass
 * @param microBatch sequences per forward/backward (gradients accumulate across micro-batches)
 * @param weighting registry name of the weighting strategy ({@code weighting.strategy})
 * @param weightingConfig the strategy's own block ({@code weighting.<strategy>}, may be empty)
 * @param gramParameters regex of parameter names whose gradients enter the per-objective Gram
 *     matrix of gradient-based weighting (costs one backward per objective)
 * @param healthTopK k of the top-k health indicators
 * @param encoding how weights travel to generators
 * @param chunkBytes largest weight chunk per message
 * @param normalization per-objective running z-scores before weighting; empty = raw scores
 * @param weightingBlocks the whole {@code weighting} block, so a strategy switched to mid-run
 *     (Control.SetWeighting) or restored from a checkpoint gets its own configured settings
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
        String weighting,
        Config weightingConfig,
        String gramParameters,
        int healthTopK,
        SnapshotEncoding encoding,
        int chunkBytes,
        java.util.Optional<NormalizationSettings> normalization,
        Config weightingBlocks,
        KlPlacement klPlacement,
        ValueLossSettings valueLoss,
        java.util.Optional<OverlongShaping> overlong,
        java.util.Optional<DynamicSamplingSettings> dynamicSampling) {

    /** True when the estimator needs a critic: the learner runs a value head. */
    public boolean needsCritic() {
        return advantage.estimator().equals("gae");
    }

    /** The configured block of strategy {@code name} ({@code weighting.<name>}), empty when absent. */
    public Config strategyConfig(String name) {
        // Quoted: a name is a key, not a path.
        String key = "\"" + name + "\"";
        return weightingBlocks.hasPath(key) && weightingBlocks.getValue(key).valueType()
                == com.typesafe.config.ConfigValueType.OBJECT ? weightingBlocks.getConfig(key) : ConfigFactory.empty();
    }

    /** Runs a sub-block's own factory, attributing what it rejects to the block's key. */
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
        Config c = r.raw();
        ConfigReader opt = r.block("optimizer");
        OptimizerSettings optimizer = new OptimizerSettings(
                opt.doubleAbove("learning-rate", 0, 1),
                opt.doubleIn("beta1", 0, 0.999999),
                opt.doubleIn("beta2", 0, 0.999999),
                opt.doubleAbove("eps", 0, 1),
                opt.doubleIn("weight-decay", 0, 1),
                opt.doubleIn("max-grad-norm", 0, 1e9),
                opt.intIn("warmup-steps", 0, 10_000_000),
                opt.bool("cosine-decay") ? totalSteps : 0,
                opt.doubleIn("min-lr-ratio", 0, 1));
        String strategy = r.block("weighting").string("strategy");
        // The preference over objectives is shared by every strategy; a strategy block may override it.
        Config shared = c.getConfig("weighting").withOnlyPath("initial-weights")
                .withFallback(c.getConfig("weighting").withOnlyPath("new-objective-share"));
        Config weightingBlock = (c.hasPath("weighting." + strategy)
                ? c.getConfig("weighting." + strategy) : ConfigFactory.empty()).withFallback(shared);
        checked("troupe.learner.weighting." + strategy,
                () -> WeightingRegistry.create(strategy, weightingBlock, java.util.List.of()));
        AdvantageSettings advantage =
                checked("troupe.learner.advantage", () -> AdvantageSettings.fromConfig(c.getConfig("advantage")));
        if (advantage.estimator().equals("remax")) {
            throw SettingsException.because("troupe.learner.advantage.estimator", "'remax' needs a greedy baseline "
                    + "rollout per prompt, which the generators do not produce; supported here: gae, grpo, dr-grpo, "
                    + "rloo, reinforce++, reinforce++-baseline");
        }
        String placement = r.block("kl").oneOf("placement", java.util.List.of("auto", "loss", "reward"));
        KlPlacement klPlacement = checked("troupe.learner.kl.placement",
                () -> KlPlacement.resolve(placement, advantage.estimator()));
        return new LearnerSettings(
                advantage,
                checked("troupe.learner.policy-loss", () -> PolicyLossSettings.fromConfig(c.getConfig("policy-loss"))),
                checked("troupe.learner.kl", () -> KlSettings.fromConfig(c.getConfig("kl"))),
                checked("troupe.learner.kl-controller",
                        () -> KlControllerSettings.fromConfig(c.getConfig("kl-controller"))),
                checked("troupe.learner.importance-correction",
                        () -> ImportanceCorrectionSettings.fromConfig(c.getConfig("importance-correction"))),
                optimizer,
                r.intIn("epochs", 1, 64),
                r.intIn("micro-batch", 1, 4096),
                strategy,
                weightingBlock,
                r.string("gram-parameters"),
                r.intIn("health-top-k", 1, 1000),
                SnapshotEncoding.valueOf(r.oneOf("weight-encoding", java.util.List.of("F32", "BF16", "F16"))),
                (int) Math.min(Integer.MAX_VALUE, c.getBytes("weight-chunk-size")),
                r.block("normalize").bool("enabled")
                        ? java.util.Optional.of(checked("troupe.learner.normalize",
                                () -> NormalizationSettings.fromConfig(r.block("normalize"))))
                        : java.util.Optional.empty(),
                c.getConfig("weighting"),
                klPlacement,
                checked("troupe.learner.value-loss", () -> ValueLossSettings.fromConfig(c.getConfig("value-loss"))),
                r.block("overlong").bool("enabled")
                        ? java.util.Optional.of(OverlongShaping.fromConfig(r.block("overlong")))
                        : java.util.Optional.empty(),
                r.block("dynamic-sampling").bool("enabled")
                        ? java.util.Optional.of(checked("troupe.learner.dynamic-sampling",
                                () -> DynamicSamplingSettings.fromConfig(c.getConfig("dynamic-sampling"))))
                        : java.util.Optional.empty());
    }
}
