package troupe.api.remote;

import troupe.core.reward.ScorerException;
import troupe.core.reward.ScorerFault;

/**
 * A remote scorer failed a batch. {@link #kind()} is the fault kind the reward stage records
 * when it quarantines the scorer for the batch.
 */
public final class RemoteScorerException extends ScorerException {

    public RemoteScorerException(ScorerFault.Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
