package troupe.bench;

import java.util.List;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.PerSampleScorer;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;

/**
 * The two cheap token-level objectives of {@code torch_grpo_step.py}'s reward, as real scorers
 * (each hosted by its own scorer actor in {@code troupe bench step}). The script's reward
 * {@code r = 0.5·mean_t[y_t even] − 0.5·mean_{t≥1}[y_t = y_{t−1}]} is their fixed-linear
 * combination with weights 0.5 / 0.5 and no normalisation, the second one minimised.
 */
final class TokenObjectives {

    /** Objective names, and the weight each carries in the script's sum. */
    static final String EVEN = "even_tokens";
    static final String REPEATS = "adjacent_repeats";
    static final double WEIGHT = 0.5;

    private TokenObjectives() {}

    static List<RewardScorer> scorers() {
        return List.of(new EvenTokens(), new AdjacentRepeats());
    }

    /** Fraction of response token ids that are even (maximised). */
    static final class EvenTokens extends PerSampleScorer {
        EvenTokens() {
            super(new Objective(EVEN, Direction.MAXIMIZE, "fraction of even token ids (torch_grpo_step.py)"));
        }

        @Override
        protected double scoreOne(ScoreInput in) {
            int[] y = in.responseTokens();
            int even = 0;
            for (int t : y) {
                even += (t & 1) == 0 ? 1 : 0;
            }
            return y.length == 0 ? 0 : (double) even / y.length;
        }
    }

    /** Fraction of response positions t ≥ 1 that repeat token t − 1 (minimised); 0 for one token. */
    static final class AdjacentRepeats extends PerSampleScorer {
        AdjacentRepeats() {
            super(new Objective(REPEATS, Direction.MINIMIZE, "fraction of adjacent repeated tokens (torch_grpo_step.py)"));
        }

        @Override
        protected double scoreOne(ScoreInput in) {
            int[] y = in.responseTokens();
            int rep = 0;
            for (int t = 1; t < y.length; t++) {
                rep += y[t] == y[t - 1] ? 1 : 0;
            }
            return y.length < 2 ? 0 : (double) rep / (y.length - 1);
        }
    }
}
