package troupe.core.reward;

import java.util.List;

/**
 * A scorer that can say why each sample got its score: {@code troupe score} prints the outcome
 * beside the score (e.g. {@code "passed 2/3"}, {@code "timeout"}, {@code "no match"}), and the
 * code-execution rule records why a candidate program scored 0 without that ever being a fault.
 */
public interface ExplainedScorer extends RewardScorer {

    /** One sample's score in the objective's units, and a short human-readable reason. */
    record Explained(float score, String outcome) {
    }

    /** Scores a batch with reasons: exactly one per input, in input order. */
    List<Explained> explain(List<ScoreInput> batch);

    @Override
    default float[] score(List<ScoreInput> batch) {
        List<Explained> e = explain(batch);
        float[] out = new float[e.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = e.get(i).score();
        }
        return out;
    }
}
