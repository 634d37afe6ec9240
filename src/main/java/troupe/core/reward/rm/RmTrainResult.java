package troupe.core.reward.rm;

import java.nio.file.Path;

/**
 * @param steps optimizer steps run
 * @param firstLoss Bradley–Terry loss of the first batch (log 2 ≈ 0.693 at a zero head)
 * @param finalLoss loss of the last batch
 * @param trainPairs pairs trained on
 * @param heldOutPairs pairs held out
 * @param heldOutAccuracy pairwise accuracy on the held-out pairs, after training
 * @param seconds wall time of the training loop
 * @param output folder written
 */
public record RmTrainResult(int steps, double firstLoss, double finalLoss, int trainPairs, int heldOutPairs,
                            double heldOutAccuracy, double seconds, Path output) {
}
