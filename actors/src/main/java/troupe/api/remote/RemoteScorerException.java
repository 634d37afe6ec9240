package troupe.api.remote;

import java.util.Objects;
import troupe.core.rollout.ScorerFault;

/**
 * A remote scorer failed a batch. {@link #kind()} is the fault kind the reward stage records
 * when it quarantines the scorer for the batch.
 */
public final class RemoteScorerException extends RuntimeException {
    private final ScorerFault.Kind kind;

    public RemoteScorerException(ScorerFault.Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ScorerFault.Kind kind() {
        return kind;
    }
}
