package troupe.core.algo.advantage;

/**
 * Turns rewards into per-token advantages. Pure function of its input; implementations are
 * selected by name through {@link AdvantageEstimators}.
 */
@FunctionalInterface
public interface AdvantageEstimator {

    /**
     * @param input scores [B], group ids [B], mask [B][L], plus the optional fields the
     *     estimator documents
     * @return advantages and returns [B][L], 0 at masked positions
     */
    AdvantageResult compute(AdvantageInput input);
}
