package troupe.core.algo.preference;

import ai.djl.ndarray.NDArray;

/**
 * @param loss mean over examples, 0-d, differentiable in the policy log-probs
 * @param perExample per-pair losses [N] (KTO: [2N], desirable then undesirable)
 * @param metrics implicit-reward diagnostics
 */
public record PreferenceLossResult(NDArray loss, NDArray perExample, PreferenceMetrics metrics) {}
