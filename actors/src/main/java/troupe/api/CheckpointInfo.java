package troupe.api;

/**
 * A checkpoint written on request.
 *
 * @param path directory of the checkpoint
 * @param step the step it holds
 */
public record CheckpointInfo(String path, long step) {}
