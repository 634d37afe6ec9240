package troupe.core.model.scoring;

/**
 * Per response token of one sample, all length = response length. The entropy and top-k arrays
 * are null when the row is outside the step's health sample ({@link HealthSample}): those
 * indicators are token means over the sampled rows only.
 *
 * @param logprobs log π(y_t | x, y_&lt;t) at the scoring temperature
 * @param entropy full-vocabulary entropy H_t (nats)
 * @param topKMass M_k
 * @param topKEntropyRenormalised −Σ q log q, q = p/M_k over the top-k
 * @param topKEntropyPartial −Σ_{top-k} p log p
 * @param values critic values V_t of a value head on the same forward pass; null when none was asked for
 */
public record TokenScores(float[] logprobs, float[] entropy, float[] topKMass, float[] topKEntropyRenormalised,
                          float[] topKEntropyPartial, float[] values) {

    /** Scores without critic values. */
    public TokenScores(float[] logprobs, float[] entropy, float[] topKMass, float[] topKEntropyRenormalised,
            float[] topKEntropyPartial) {
        this(logprobs, entropy, topKMass, topKEntropyRenormalised, topKEntropyPartial, null);
    }

    /** True when this row's entropy and top-k were computed (it is in the health sample). */
    public boolean sampled() {
        return entropy != null;
    }
}
