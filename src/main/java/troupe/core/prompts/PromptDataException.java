package troupe.core.prompts;

/**
 * A prompt dataset that cannot be trained on: a bad line ({@code file:line: reason}), an empty
 * file, a prompt longer than the model can take. Found before the run starts, so nothing is
 * half-trained; the CLI exits 2 with the message.
 */
public final class PromptDataException extends RuntimeException {
    public PromptDataException(String message) {
        super(message, null, false, false);
    }
}
