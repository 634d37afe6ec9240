package troupe.core.algo.kl;

import java.util.List;

/**
 * Where KL(π‖π_ref) enters the objective (ALGORITHMS.md §2–§4), with β from the
 * {@link KlController}; never both places at once:
 *
 * <ul>
 *   <li>{@code loss}: β·agg(kl) on the current log-probs, with gradient (GRPO; verl
 *       {@code use_kl_loss}, k3 by default, {@link KlLoss});
 *   <li>{@code reward}: −β·kl[i,t] in the token rewards, from the step's old log-probs, no
 *       gradient (PPO, REINFORCE++; verl {@code use_kl_in_reward}, k1 by default, {@link KlPenalty}).
 *       Only estimators that read token rewards can carry it: gae and reinforce++ (GRPO-family
 *       estimators use the scalar score, so the penalty would silently vanish);
 *   <li>{@code auto}: reward for gae and reinforce++, loss for every other estimator.
 * </ul>
 */
public enum KlPlacement {
    LOSS,
    REWARD;

    /** Estimators whose advantages are built from per-token rewards. */
    public static final List<String> TOKEN_REWARD_ESTIMATORS = List.of("gae", "reinforce++");

    /**
     * @param configured auto | loss | reward
     * @param estimator the advantage estimator's registry name
     * @throws IllegalArgumentException for an unknown name, or reward with an estimator that ignores it
     */
    public static KlPlacement resolve(String configured, String estimator) {
        switch (configured) {
            case "auto":
                return TOKEN_REWARD_ESTIMATORS.contains(estimator) ? REWARD : LOSS;
            case "loss":
                return LOSS;
            case "reward":
                if (!TOKEN_REWARD_ESTIMATORS.contains(estimator)) {
                    throw new IllegalArgumentException("placement 'reward' needs an estimator that reads token rewards "
                            + TOKEN_REWARD_ESTIMATORS + "; '" + estimator + "' uses the scalar score only");
                }
                return REWARD;
            default:
                throw new IllegalArgumentException("Unknown KL placement '" + configured
                        + "'; supported: auto, loss, reward");
        }
    }
}
