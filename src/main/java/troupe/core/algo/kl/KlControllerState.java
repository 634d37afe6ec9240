package troupe.core.algo.kl;

/**
 * Checkpointed state of a {@link KlController}.
 *
 * @param type fixed | adaptive
 * @param beta the coefficient at checkpoint time
 */
public record KlControllerState(String type, double beta) {}
