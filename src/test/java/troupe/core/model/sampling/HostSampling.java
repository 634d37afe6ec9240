package troupe.core.model.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Host reference of {@link SamplingDistribution}: the same ALGORITHMS.md §9 steps (z/T → top-k,
 * ties kept → softmax → top-p over a stable ascending sort, top token always kept → renormalise)
 * as plain double loops, one row at a time. The sampler ran this code until it moved to the
 * engine's tensors; the tests hold the device version to it.
 */
public final class HostSampling {

    private HostSampling() {
    }

    /** Probabilities over the vocab for logits[offset, offset + vocab). */
    public static double[] probabilities(float[] logits, int offset, int vocab, double temperature, int topK,
                                         double topP) {
        double[] z = new double[vocab];
        for (int i = 0; i < vocab; i++) {
            z[i] = logits[offset + i] / temperature;
        }
        if (topK > 0 && topK < vocab) {
            double[] sorted = z.clone();
            Arrays.sort(sorted);
            double kth = sorted[vocab - topK];
            for (int i = 0; i < vocab; i++) {
                if (z[i] < kth) {
                    z[i] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        double[] p = softmax(z);
        return topP < 1 ? topP(p, topP) : p;
    }

    /** Softmax with max subtraction; −∞ entries get probability 0. */
    public static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] p = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /**
     * HF's top-p filter on a probability vector, renormalised. Sorting ascending and accumulating
     * from the least likely token, a token is dropped iff its cumulative mass ≤ 1 − p (computed in
     * double, so 1 − 0.8 = 0.19999999999999996); the most likely token is always kept.
     */
    public static double[] topP(double[] probs, double topP) {
        Integer[] order = new Integer[probs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(probs[a], probs[b]));
        double threshold = 1 - topP;
        double cum = 0;
        double[] out = probs.clone();
        for (int r = 0; r < order.length - 1; r++) {
            cum += probs[order[r]];
            if (cum <= threshold) {
                out[order[r]] = 0;
            }
        }
        double sum = 0;
        for (double v : out) {
            sum += v;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    /** log softmax(z/T)[token] with no truncation (the learner's view of the token). */
    public static double logProb(float[] logits, int offset, int vocab, double temperature, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i] / temperature);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[offset + i] / temperature - max);
        }
        return logits[offset + token] / temperature - max - Math.log(sum);
    }

    /** Inverse-CDF draw; falls back to the last token with mass if rounding leaves u uncovered. */
    public static int draw(double[] probs, RandomGenerator random) {
        double u = random.nextDouble();
        double cum = 0;
        int last = -1;
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] > 0) {
                cum += probs[i];
                last = i;
                if (u < cum) {
                    return i;
                }
            }
        }
        return last;
    }

    /** First index of the largest logit. */
    public static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
