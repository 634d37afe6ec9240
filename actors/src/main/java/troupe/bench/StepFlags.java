package troupe.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Locale;
import troupe.config.TroupeConfig;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;

/**
 * The flags of {@code torch_grpo_step.py} (same names, same defaults; {@code troupe bench step}
 * declares them) plus {@code maxPolicyLag}, and the run settings they stand for. Every setting of
 * the step is the script's, whatever reference.conf says: {@link #config} writes each one.
 */
public record StepFlags(String layout, int layers, int dModel, int heads, int kvHeads, int ffn, int vocab, int ctx,
        boolean tie, String kvImpl, int threads, long seed, int prompts, int group, int promptLen, int responseLen,
        int microBatch, int epochs, int steps, int warmup, double temperature, double beta, double clip, double lr,
        int maxPolicyLag) {

    /** The script's own argument checks (its {@code ap.error} messages), and this bench's. */
    public StepFlags {
        if (group < 2) {
            throw new IllegalArgumentException("--group must be >= 2 (unbiased group std)");
        }
        if (promptLen < 1 || responseLen < 1 || microBatch < 1 || epochs < 1 || steps < 1) {
            throw new IllegalArgumentException(
                    "--prompt-len, --response-len, --micro-batch, --epochs, --steps must be >= 1");
        }
        if (promptLen + responseLen > ctx) {
            throw new IllegalArgumentException("--prompt-len + --response-len must be <= --ctx");
        }
        if (!kvImpl.equals("static")) {
            // The generator role writes its KV cache in place, preallocated to prompt + response.
            throw new IllegalArgumentException("--kv-impl " + kvImpl + ": the generator role's KV cache is "
                    + "preallocated and written in place, the script's 'static'; only static is comparable");
        }
        if (warmup < 0 || threads < 1 || maxPolicyLag < 0 || maxPolicyLag > 1000) {
            throw new IllegalArgumentException("need --warmup >= 0, --threads >= 1, 0 <= --max-policy-lag <= 1000");
        }
    }

    /** N = P·G sequences per step. */
    public int sequences() {
        return prompts * group;
    }

    /** The model of torch_baseline.py's LMConfig for these flags; no EOS, so exactly T tokens are sampled. */
    public ModelConfig model() {
        ModelType type = ModelType.fromHfName(layout.toLowerCase(Locale.ROOT));
        boolean llama = type.isLlamaLayout();
        int kv = llama && kvHeads > 0 ? kvHeads : heads;
        int inner = ffn > 0 ? ffn : llama ? 64 * (int) Math.ceil(dModel * 8.0 / 3 / 64) : 4 * dModel;
        return new ModelConfig(type, vocab, dModel, layers, heads, kv, inner, ctx,
                llama ? ModelConfig.DEFAULT_RMS_EPS : ModelConfig.DEFAULT_LAYER_NORM_EPS, ModelConfig.DEFAULT_ROPE_THETA,
                tie || type == ModelType.GPT2, -1, -1, -1);
    }

    /**
     * The run's merged config: the script's step over reference.conf. Each line is a choice of the
     * script (its header, steps 0–5) that differs from or pins a default of reference.conf.
     */
    public Config config(Path outputDir) {
        String hocon = String.format(Locale.ROOT, """
                troupe.run { steps = %d, seed = %d, generators = 1, heldout-prompts = 0, output-dir = "%s" }
                troupe.sampling { temperature = %s, top-k = 0, top-p = 1.0, max-new-tokens = %d,
                  learner-temperature = %s }
                troupe.pipeline { group-size = %d, prompts-per-step = %d, max-policy-lag = %d }
                troupe.checkpoint { every-n-steps = 0, on-shutdown = false }
                troupe.rewards.scorers = []
                troupe.learner {
                  algorithm = "policy-gradient", epochs = %d, micro-batch = %d
                  advantage { estimator = "grpo", grpo-epsilon = 1e-4, grpo-std = "unbiased", grpo-scale = "group" }
                  policy-loss { loss = "ppo-clip", clip-low = %s, clip-high = %s, dual-clip = inf,
                    aggregation = "token-mean", entropy-coef = 0 }
                  kl { loss-estimator = "k3", placement = "loss", log-ratio-clamp = inf, k3-clamp = inf }
                  kl-controller { type = "fixed", kl-coef = %s }
                  optimizer { learning-rate = %s, beta1 = 0.9, beta2 = 0.95, eps = 1e-8, weight-decay = 0.1,
                    max-grad-norm = 0, warmup-steps = 0, cosine-decay = false }
                  normalize.enabled = false
                  overlong.enabled = false
                  dynamic-sampling.enabled = false
                  weighting { strategy = "fixed-linear", initial-weights = { %s = %s, %s = %s } }
                }
                """, warmup + steps, seed, outputDir.toString().replace("\\", "/"), temperature, responseLen,
                temperature, group, prompts, maxPolicyLag, epochs, microBatch, clip, clip, beta, lr,
                TokenObjectives.EVEN, TokenObjectives.WEIGHT, TokenObjectives.REPEATS, TokenObjectives.WEIGHT);
        // initial-weights replaces reference.conf's block (objectives of the demo task) instead of merging into it.
        Config reference = TroupeConfig.reference().withoutPath("troupe.learner.weighting.initial-weights");
        return ConfigFactory.parseString(hocon).withFallback(reference).resolve();
    }
}
