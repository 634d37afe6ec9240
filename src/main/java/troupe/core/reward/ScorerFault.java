package troupe.core.reward;

import java.util.Optional;

/**
 * A scorer that failed on a batch; its objective has no column in that batch.
 *
 * @param objective the scorer's objective name
 * @param kind what went wrong
 * @param detail human-readable detail (exception message, counts seen)
 */
public record ScorerFault(String objective, Kind kind, String detail) {

    /** Every way a scorer can fail a batch. */
    public enum Kind {
        EXCEPTION,
        WRONG_COUNT,
        NON_FINITE,
        DEADLINE,
        UNAVAILABLE
    }

    /**
     * The validity rule for one scorer's answer, shared by every place that receives one (the
     * in-process runner, a scorer host and the reward stage, which also hears remote hosts).
     *
     * @return a fault when {@code scores} is not exactly {@code expected} finite values, else empty
     */
    public static Optional<ScorerFault> check(String objective, float[] scores, int expected) {
        if (scores == null || scores.length != expected) {
            return Optional.of(new ScorerFault(objective, Kind.WRONG_COUNT,
                    (scores == null ? "no" : String.valueOf(scores.length)) + " scores for " + expected + " samples"));
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                return Optional.of(new ScorerFault(objective, Kind.NON_FINITE, "score " + scores[i] + " at sample " + i));
            }
        }
        return Optional.empty();
    }

    /**
     * The fault for a scorer that threw {@code error}: the kind a {@link ScorerException} names
     * (a remote scorer's DEADLINE or UNAVAILABLE), EXCEPTION for anything else.
     */
    public static ScorerFault thrown(String objective, Throwable error) {
        Kind kind = error instanceof ScorerException s ? s.kind() : Kind.EXCEPTION;
        return new ScorerFault(objective, kind, describe(error));
    }

    /** "SimpleName: message" of a throwable, for fault details and logs. */
    public static String describe(Throwable t) {
        if (t == null) {
            return "no cause";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
