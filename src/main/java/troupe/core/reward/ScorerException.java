package troupe.core.reward;

import java.util.Objects;

/**
 * A scorer that knows why it failed throws this so the reward stage records that {@link #kind()}
 * (e.g. a remote scorer whose call missed its deadline is DEADLINE, not EXCEPTION).
 */
public class ScorerException extends RuntimeException {
    private final ScorerFault.Kind kind;

    public ScorerException(ScorerFault.Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ScorerFault.Kind kind() {
        return kind;
    }
}
