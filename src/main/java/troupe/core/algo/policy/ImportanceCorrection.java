package troupe.core.algo.policy;

import java.util.Arrays;
import troupe.core.algo.FiniteChecks;

/**
 * Importance weights correcting for a sampler whose distribution differs from the learner's
 * (truncated by top-k/top-p, tempered, or just different numerics), ALGORITHMS.md §9; TRL GRPO
 * {@code vllm_importance_sampling_correction}. Per token, with
 * ρ[i,t] = exp(old_trainer[i,t] − logp_behaviour[i,t]):
 *
 * <pre>
 * token-truncate     w = min(ρ, C)                       (truncated IS, TRL token_truncate)
 * token-mask         w = ρ if ρ ≤ C else 0
 * sequence-truncate  w = min(ρ_i, C) on every token,   ρ_i = exp(Σ_t m·(old_trainer − logp_behaviour))
 * sequence-mask      w = ρ_i if ρ_i ≤ C else 0 on every token of sequence i
 * none               w = 1
 * </pre>
 *
 * Plain arrays, no gradient: both inputs are detached log-probs. Feed the weights to
 * {@link PolicyLossInput#withIsWeights}. Example (§9): sampler log-prob −2.126928 (T = 0.5,
 * top-k 3, top-p 0.9) vs learner −1.495182 at T = 1 gives ρ = 1.880892; vs −2.171935 at T = 0.5
 * without truncation, ρ = 0.955990.
 */
public final class ImportanceCorrection {

    private ImportanceCorrection() {}

    /** Correction modes, by config name. */
    public enum Mode {
        NONE("none"), TOKEN_TRUNCATE("token-truncate"), TOKEN_MASK("token-mask"),
        SEQUENCE_TRUNCATE("sequence-truncate"), SEQUENCE_MASK("sequence-mask");

        private final String configName;

        Mode(String configName) {
            this.configName = configName;
        }

        /** The name used in config files, e.g. {@code "token-truncate"}. */
        public String configName() {
            return configName;
        }

        public static Mode fromName(String name) {
            for (Mode m : values()) {
                if (m.configName.equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("Unknown importance-correction mode '" + name + "'; supported: "
                    + String.join(", ", Arrays.stream(values()).map(m -> m.configName).toList()));
        }
    }

    /**
     * @param weights [B][L] per-token weights, 0 at masked positions
     * @param meanRatio mean of the raw per-token ratio ρ over real tokens (≈ 1 when sampler and learner agree)
     * @param correctedFraction share of real tokens whose weight was truncated or masked
     */
    public record Result(double[][] weights, double meanRatio, double correctedFraction) {}

    /**
     * @param oldTrainerLogp [B][L] learner's log-probs of the sampled tokens under the old policy
     * @param behaviourLogp [B][L] sampler's log-probs under the distribution actually sampled from
     * @param mask [B][L]
     */
    public static Result weights(double[][] oldTrainerLogp, double[][] behaviourLogp, double[][] mask,
            ImportanceCorrectionSettings settings) {
        int b = oldTrainerLogp.length;
        int l = b == 0 ? 0 : oldTrainerLogp[0].length;
        FiniteChecks.requireShape("behaviourLogp", behaviourLogp, b, l);
        FiniteChecks.requireShape("mask", mask, b, l);
        FiniteChecks.requireFinite("oldTrainerLogp", oldTrainerLogp);
        FiniteChecks.requireFinite("behaviourLogp", behaviourLogp);
        Mode mode = Mode.fromName(settings.mode());
        double cap = settings.cap();
        double[][] w = new double[b][l];
        double ratioSum = 0;
        double tokens = 0;
        double corrected = 0;
        for (int i = 0; i < b; i++) {
            double seqLogRatio = 0;
            for (int t = 0; t < l; t++) {
                seqLogRatio += mask[i][t] * (oldTrainerLogp[i][t] - behaviourLogp[i][t]);
            }
            double seqRatio = Math.exp(seqLogRatio);
            for (int t = 0; t < l; t++) {
                if (mask[i][t] == 0) {
                    continue;
                }
                double rho = Math.exp(oldTrainerLogp[i][t] - behaviourLogp[i][t]);
                double weight = switch (mode) {
                    case NONE -> 1.0;
                    case TOKEN_TRUNCATE -> Math.min(rho, cap);
                    case TOKEN_MASK -> rho <= cap ? rho : 0.0;
                    case SEQUENCE_TRUNCATE -> Math.min(seqRatio, cap);
                    case SEQUENCE_MASK -> seqRatio <= cap ? seqRatio : 0.0;
                };
                double raw = switch (mode) {
                    case NONE -> 1.0;
                    case TOKEN_TRUNCATE, TOKEN_MASK -> rho;
                    case SEQUENCE_TRUNCATE, SEQUENCE_MASK -> seqRatio;
                };
                w[i][t] = weight;
                ratioSum += rho;
                tokens++;
                corrected += weight != raw ? 1 : 0;
            }
        }
        double d = Math.max(tokens, 1);
        return new Result(w, ratioSum / d, corrected / d);
    }
}
