package troupe.core.rl;

import java.util.List;
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

    /** Per-token log-probs of every sample as [N][L], masked positions 0. */
    double[][] padded(java.util.List<troupe.core.model.scoring.TokenScores> scores) {
        double[][] out = new double[size()][maxLength];
        for (int i = 0; i < out.length; i++) {
            float[] lp = scores.get(i).logprobs();
            for (int t = 0; t < lp.length; t++) {
                out[i][t] = lp[t];
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
