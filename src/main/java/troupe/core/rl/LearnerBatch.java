package troupe.core.rl;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.Function;
import troupe.core.model.CausalLm;
import troupe.core.model.PaddedBatch;
import troupe.core.model.scoring.PolicyLogProbs;
import troupe.core.model.scoring.TokenScores;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;

/**
 * A rollout batch as the padded host arrays the learner's maths takes: [N][L] with L the longest
 * response, masked positions 0. Built once per step; micro-batches slice rows out of it.
 */
record LearnerBatch(
        int[][] prompts,
        int[][] responses,
        double[][] mask,
        double[][] behaviour,
        double[][] reference,
        int[] groupIds,
        int maxLength) {

    static LearnerBatch of(RolloutBatch batch) {
        List<Sample> samples = batch.samples();
        int n = samples.size();
        int l = 0;
        for (Sample s : samples) {
            l = Math.max(l, s.responseTokens().length);
        }
        int[][] prompts = new int[n][];
        int[][] responses = new int[n][];
        double[][] mask = new double[n][l];
        double[][] behaviour = new double[n][l];
        double[][] reference = new double[n][l];
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            prompts[i] = s.promptTokens();
            responses[i] = s.responseTokens();
            groups[i] = Math.toIntExact(s.groupId());
            if (s.referenceLogprobs().length != s.responseTokens().length) {
                throw new IllegalArgumentException("sample " + i + " of batch " + batch.batchId()
                        + " has no reference log-probs; the reference stage must run before the learner");
            }
            for (int t = 0; t < s.responseTokens().length; t++) {
                mask[i][t] = s.responseMask()[t] ? 1 : 0;
                behaviour[i][t] = s.behaviourLogprobs()[t];
                reference[i][t] = s.referenceLogprobs()[t];
            }
        }
        return new LearnerBatch(prompts, responses, mask, behaviour, reference, groups, l);
    }

    int size() {
        return prompts.length;
    }

    /** Rows [from, to) of a [N][L] array, cut to the longest response among those rows. */
    static float[] slice(double[][] full, int from, int to, int width) {
        float[] out = new float[(to - from) * width];
        for (int i = from; i < to; i++) {
            for (int t = 0; t < width && t < full[i].length; t++) {
                out[(i - from) * width + t] = (float) full[i][t];
            }
        }
        return out;
    }

    /**
     * The training forward every loss starts from: the policy's response-token log-probs (with
     * gradient), entropy and hidden states of the given sequences at {@code temperature}, on {@code m}.
     */
    static PolicyLogProbs forward(CausalLm lm, int[][] prompts, int[][] responses, double temperature, NDManager m) {
        return PolicyLogProbs.compute(lm, PaddedBatch.of(prompts, responses, lm.config().fillTokenId()), temperature,
                m);
    }

    /** One per-token field of every sample's scores as [N][L], 0 past each response. */
    double[][] padded(List<TokenScores> scores, Function<TokenScores, float[]> field) {
        return padded(scores, field, maxLength);
    }

    /** One per-token field of each of {@code scores} as a row of {@code width}, 0 past each response. */
    static double[][] padded(List<TokenScores> scores, Function<TokenScores, float[]> field, int width) {
        double[][] out = new double[scores.size()][width];
        for (int i = 0; i < out.length; i++) {
            float[] x = field.apply(scores.get(i));
            for (int t = 0; t < x.length; t++) {
                out[i][t] = x[t];
            }
        }
        return out;
    }

    int widthOf(int from, int to) {
        int w = 0;
        for (int i = from; i < to; i++) {
            w = Math.max(w, responses[i].length);
        }
        return w;
    }
}
