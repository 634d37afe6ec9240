package troupe.core.checkpoint;

import java.io.IOException;

/** A checkpoint or model folder that is truncated, corrupt or was never finished; the message names it. */
public final class IncompleteFolderException extends IOException {
    public IncompleteFolderException(String message) {
        super(message);
    }
}
