package troupe.core.model.scoring;

/**
 * @param temperature logits are divided by T before the log-softmax (verl/TRL, ALGORITHMS.md §1);
 *     use the sampling temperature
 * @param topK k of the top-k mass/entropy health indicators (§7); the paper's k is unconfirmed
 * @param microBatch sequences per forward pass (bounds memory: B·L·V logits per pass, reduced in
 *     native code)
 * @param healthRows rows of the whole call whose entropy and top-k are computed ({@link HealthSample})
 */
public record ScoreSettings(double temperature, int topK, int microBatch, int healthRows) {

    /** T 1, k 10, 16 sequences per forward, 16 health rows. */
    public static ScoreSettings defaults() {
        return new ScoreSettings(1.0, 10, 16, 16);
    }

    public ScoreSettings {
        if (!(temperature > 0) || topK < 1 || microBatch < 1 || healthRows < 1) {
            throw new IllegalArgumentException("need temperature > 0, topK >= 1, microBatch >= 1, healthRows >= 1");
        }
    }
}
