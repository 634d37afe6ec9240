package troupe.roles;

import java.util.Optional;
import troupe.core.rollout.ScorerFault;

/** The validity rule for one scorer's answer, shared by the host and the reward stage (which also hears remote hosts). */
public final class ScoreCheck {
    private ScoreCheck() {}

    /** A fault when {@code scores} is not exactly {@code expected} finite values, else empty. */
    public static Optional<ScorerFault> check(String objective, float[] scores, int expected) {
        if (scores == null || scores.length != expected) {
            return Optional.of(new ScorerFault(objective, ScorerFault.Kind.WRONG_COUNT,
                    (scores == null ? "no" : String.valueOf(scores.length)) + " scores for " + expected + " samples"));
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                return Optional.of(new ScorerFault(objective, ScorerFault.Kind.NON_FINITE,
                        "score " + scores[i] + " at sample " + i));
            }
        }
        return Optional.empty();
    }
}
