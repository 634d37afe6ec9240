package troupe.core.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * One decoding step's pick for every row, made on the engine from the step's logits; only [B] ids
 * and their two log-probs reach the host (plus one [1] copy with top-k).
 *
 * @param tokens chosen ids [B]
 * @param samplerLp log q(token), q the distribution drawn from (0 when greedy: a point mass)
 * @param learnerLp log softmax(z/T_learner)[token], untruncated
 */
record TokenChoice(long[] tokens, double[] samplerLp, double[] learnerLp) {

    /**
     * Picks from logits [B, 1, V] (or [B, V]) with one uniform per row (ignored for finished rows;
     * null when greedy). With top-k the tempering, softmax, top-p and draw run on the k candidate
     * columns in token order, which gives the same q and the same draw as the whole vocabulary
     * (the dropped tokens have mass 0); untruncated sampling at the learner temperature reuses the
     * sampler log-prob as the learner's.
     */
    static TokenChoice pick(NDArray logits, SamplingSettings s, double[] uniforms) {
        long b = logits.getShape().get(0);
        NDArray z = logits.reshape(b, -1); // [B, V]
        long vocab = z.getShape().get(1);
        NDArray token;
        NDArray samplerLp;
        NDArray learnerLp = null;
        if (s.greedy()) {
            token = SamplingDistribution.argmax(z);
            samplerLp = null; // a point mass: log 1 = 0
        } else {
            boolean truncated = s.topK() > 0 && s.topK() < vocab;
            NDArray ids = truncated ? SamplingDistribution.topKIds(z, s.topK()) : null; // [B, k] or null
            NDArray zc = ids == null ? z : z.gather(ids, 1);
            NDArray q = SamplingDistribution.probabilities(zc, s.temperature(), ids == null ? s.topK() : 0, s.topP());
            NDArray drawn = SamplingDistribution.draw(q, z.getManager().create(uniforms, new Shape(b, 1)));
            samplerLp = SamplingDistribution.logOf(q, drawn);
            token = ids == null ? drawn : ids.gather(drawn.reshape(b, 1), 1).reshape(b);
            if (!truncated && s.topP() == 1 && s.temperature() == s.learnerTemperature()) {
                learnerLp = samplerLp; // q is softmax(z/T) itself
            }
        }
        if (learnerLp == null) {
            learnerLp = SamplingDistribution.logProb(z, s.learnerTemperature(), token);
        }
        double[] learner = learnerLp.toDoubleArray();
        return new TokenChoice(token.toLongArray(), samplerLp == null ? new double[(int) b]
                : samplerLp == learnerLp ? learner : samplerLp.toDoubleArray(), learner);
    }
}
