package troupe.core.algo.preference;

/**
 * Means over the pairs of the implicit rewards β(logπ − logπ_ref) (SimPO: β·logπ/|y|).
 *
 * @param rewardAccuracy share of pairs with chosen reward > rejected reward
 * @param rewardMargin mean of chosen − rejected reward
 * @param chosenReward mean chosen reward
 * @param rejectedReward mean rejected reward
 */
public record PreferenceMetrics(double rewardAccuracy, double rewardMargin, double chosenReward, double rejectedReward) {}
