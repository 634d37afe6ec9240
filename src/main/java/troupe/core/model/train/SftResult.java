package troupe.core.model.train;

import java.nio.file.Path;

/**
 * @param steps optimizer steps run
 * @param firstLoss loss of the first step
 * @param finalLoss loss of the last step
 * @param tokens trained (non-pad) tokens
 * @param seconds wall time of the training loop
 * @param output folder written
 */
public record SftResult(int steps, double firstLoss, double finalLoss, long tokens, double seconds, Path output) {
}
