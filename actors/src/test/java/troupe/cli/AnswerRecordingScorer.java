package troupe.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;

/**
 * A scorer declared by class name in DataRunTest: 1 when the response contains the line's
 * {@code answer} field, else 0; it keeps every metadata map it was given, so the test can see
 * what reached a scorer from the dataset.
 */
public final class AnswerRecordingScorer implements RewardScorer {
    static final ConcurrentLinkedQueue<Map<String, String>> SEEN = new ConcurrentLinkedQueue<>();

    @Override
    public Objective objective() {
        return new Objective("answer", Direction.MAXIMIZE, "response contains the line's answer");
    }

    @Override
    public float[] score(List<ScoreInput> batch) {
        float[] out = new float[batch.size()];
        for (int i = 0; i < out.length; i++) {
            ScoreInput in = batch.get(i);
            SEEN.add(in.metadata());
            out[i] = in.responseText().contains(in.metadata().getOrDefault("answer", "\0")) ? 1 : 0;
        }
        return out;
    }
}
