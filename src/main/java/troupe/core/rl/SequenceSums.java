package troupe.core.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import troupe.core.model.CausalLm;
import troupe.core.model.scoring.PolicyLogProbs;

/**
 * Per-sequence sums of the policy's response-token log-probs over chosen rows of a learner batch,
 * from one forward with gradient: what RAFT's NLL and PRO's scores s_i = sum/|y| are made of.
 *
 * @param logp [k] Σ_t mask·logπ per row, with gradient
 * @param lengths real tokens per row (0 for an empty response)
 */
record SequenceSums(NDArray logp, double[] lengths) {

    /** Rows {@code rows} of {@code b} at {@code temperature}, on {@code m}. */
    static SequenceSums of(CausalLm lm, LearnerBatch b, int[] rows, double temperature, NDManager m) {
        int[][] prompts = new int[rows.length][];
        int[][] responses = new int[rows.length][];
        int width = 0;
        for (int i = 0; i < rows.length; i++) {
            prompts[i] = b.prompts()[rows[i]];
            responses[i] = b.responses()[rows[i]];
            width = Math.max(width, responses[i].length);
        }
        float[] mask = new float[rows.length * width];
        double[] lengths = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int t = 0; t < responses[i].length; t++) {
                mask[i * width + t] = (float) b.mask()[rows[i]][t];
                lengths[i] += b.mask()[rows[i]][t];
            }
        }
        PolicyLogProbs lp = LearnerBatch.forward(lm, prompts, responses, temperature, m);
        NDArray sums = lp.logprobs().mul(m.create(mask, new Shape(rows.length, width))).sum(new int[] {1}); // [k]
        return new SequenceSums(sums, lengths);
    }

    /** s_i = Σ logπ / max(|y_i|, 1), [k] with gradient. */
    NDArray means(NDManager m) {
        float[] denominators = new float[lengths.length];
        for (int i = 0; i < lengths.length; i++) {
            denominators[i] = (float) Math.max(lengths[i], 1);
        }
        return logp.div(m.create(denominators).toType(logp.getDataType(), false));
    }
}
