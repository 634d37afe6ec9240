package troupe.core.algo.policy;

/**
 * Diagnostics of one policy-loss call, token-means over the real tokens of the (micro-)batch.
 *
 * @param clipFraction share of tokens where the ratio clip is active, [−A·clip(r) > −A·r] (verl pg_clipfrac)
 * @param dualClipFraction share of tokens where dual-clip caps the loss (A &lt; 0, verl pg_clipfrac_lower)
 * @param approxKlK1 mean(−clamp(logp − old, ±log-ratio-clamp)), verl {@code ppo_kl} of
 *     {@code compute_policy_loss_vanilla} (which clamps the log-ratio to ±20 before averaging)
 * @param approxKlK2 mean(½(logp − old)²), TRL PPO {@code approxkl}
 * @param ratioMean mean of r = exp(logp − old)
 * @param tokens number of real tokens the means are over
 */
public record PolicyMetrics(double clipFraction, double dualClipFraction, double approxKlK1,
        double approxKlK2, double ratioMean, double tokens) {}
