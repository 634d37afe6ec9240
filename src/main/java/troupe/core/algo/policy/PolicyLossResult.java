package troupe.core.algo.policy;

import ai.djl.ndarray.NDArray;

/**
 * @param loss 0-d tensor to add to the step's total loss and differentiate
 * @param metrics plain doubles for the learner event
 */
public record PolicyLossResult(NDArray loss, PolicyMetrics metrics) {}
