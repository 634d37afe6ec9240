package troupe.core.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import troupe.core.algo.preference.OnlinePairSelector;
import troupe.core.algo.preference.OnlinePairSelector.Pair;
import troupe.core.algo.preference.PreferenceBatch;
import troupe.core.model.CausalLm;
import troupe.core.model.scoring.PolicyLogProbs;

/**
 * Online DPO's pairs over one learner batch (ALGORITHMS.md §5): selection within each prompt's
 * group by a scalar reward, and the {@link PreferenceBatch} of a run of pairs — sequence sums of
 * the policy's response-token log-probs (one forward over the chosen and rejected rows, with
 * gradient) next to the same sums of the reference log-probs the batch carries.
 */
final class PreferencePairs {

    /**
     * @param pairs indices into the batch, in order of the groups' first appearance
     * @param skipped groups that gave no pair: scalars within the minimum gap, or both responses
     *     empty (no token whose log-prob the loss could move)
     */
    record Selection(List<Pair> pairs, int skipped) {}

    private PreferencePairs() {}

    /** One pair per group: chosen = first maximum of {@code scalar}, rejected = first minimum. */
    static Selection select(double[] scalar, LearnerBatch b, double minGap) {
        Set<Integer> groups = new HashSet<>();
        for (int g : b.groupIds()) {
            groups.add(g);
        }
        List<Pair> kept = new ArrayList<>();
        for (Pair p : OnlinePairSelector.selectAll(scalar, b.groupIds(), minGap)) {
            if (b.responses()[p.chosen()].length > 0 || b.responses()[p.rejected()].length > 0) {
                kept.add(p);
            }
        }
        return new Selection(List.copyOf(kept), groups.size() - kept.size());
    }

    /**
     * Pairs [from, to) of {@code pairs} as a preference batch on manager {@code m}: policy sums with
     * gradient at {@code temperature} (the reference's temperature), reference sums and response
     * lengths as constants. Shapes: every field [to − from].
     */
    static PreferenceBatch forward(CausalLm lm, LearnerBatch b, List<Pair> pairs, int from, int to,
            double temperature, NDManager m) {
        int k = to - from;
        int[] rows = new int[2 * k]; // chosen rows, then rejected rows
        for (int i = 0; i < k; i++) {
            rows[i] = pairs.get(from + i).chosen();
            rows[k + i] = pairs.get(from + i).rejected();
        }
        int[][] prompts = new int[rows.length][];
        int[][] responses = new int[rows.length][];
        int width = 0;
        for (int i = 0; i < rows.length; i++) {
            prompts[i] = b.prompts()[rows[i]];
            responses[i] = b.responses()[rows[i]];
            width = Math.max(width, responses[i].length);
        }
        float[] mask = new float[rows.length * width];
        float[] refSums = new float[rows.length];
        float[] lengths = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double ref = 0;
            double n = 0;
            for (int t = 0; t < responses[i].length; t++) {
                double w = b.mask()[rows[i]][t];
                mask[i * width + t] = (float) w;
                ref += w * b.reference()[rows[i]][t];
                n += w;
            }
            refSums[i] = (float) ref;
            lengths[i] = (float) Math.max(n, 1); // SimPO and length-normalised IPO divide by it
        }
        PolicyLogProbs lp = LearnerBatch.forward(lm, prompts, responses, temperature, m);
        NDArray sums = lp.logprobs().mul(m.create(mask, new Shape(rows.length, width))).sum(new int[] {1}); // [2k]
        NDArray ref = m.create(refSums); // [2k]
        NDArray len = m.create(lengths); // [2k]
        String chosen = "0:" + k;
        String rejected = k + ":";
        return PreferenceBatch.of(sums.get(chosen), sums.get(rejected), ref.get(chosen), ref.get(rejected))
                .withLengths(len.get(chosen), len.get(rejected));
    }
}
