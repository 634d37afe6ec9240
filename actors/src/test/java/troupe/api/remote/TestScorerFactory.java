package troupe.api.remote;

import java.util.List;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.RewardScorerFactory;
import troupe.core.reward.ScoreInput;

/**
 * Test-scope scorer registered through META-INF/services: "test-length" scores a response by
 * its length in characters (a stand-in for the built-in scorers another module registers).
 */
public final class TestScorerFactory implements RewardScorerFactory {

    @Override
    public String name() {
        return "test-length";
    }

    @Override
    public RewardScorer create(ConfigReader block) {
        block.requireOnly(Set.of());
        return new LengthScorer();
    }

    /** Response length in characters, smaller is better. */
    public static final class LengthScorer implements RewardScorer {
        @Override
        public Objective objective() {
            return new Objective("test-length", Direction.MINIMIZE, "response length in characters");
        }

        @Override
        public float[] score(List<ScoreInput> batch) {
            float[] out = new float[batch.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = batch.get(i).responseText().length();
            }
            return out;
        }
    }
}
