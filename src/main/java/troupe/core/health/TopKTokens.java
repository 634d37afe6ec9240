package troupe.core.health;

/**
 * Per-token top-k values the model code computes during the learner's forward pass, one row per
 * response, aligned with its tokens (see {@link TopKStats} for the definitions).
 *
 * @param mass [B][T_i] M_k per token
 * @param entropyRenormalised [B][T_i]
 * @param entropyPartial [B][T_i]
 */
public record TopKTokens(float[][] mass, float[][] entropyRenormalised, float[][] entropyPartial) {}
