package troupe.core.algo.advantage;

/**
 * REINFORCE++ (Hu, arXiv 2501.03262), verl {@code reinforce_plus_plus}. Token rewards include
 * −β·k1 at every token (build them with {@link TokenRewards}); the discounted return
 * {@code G_t = Σ_{s≥t} γ^{s−t} r_s} resets after EOS, and the returns are whitened over all real
 * tokens of the global batch ({@link Whitening}). Returns (un-whitened) are reported as returns.
 */
public final class ReinforcePlusPlusEstimator implements AdvantageEstimator {

    private final AdvantageSettings settings;

    public ReinforcePlusPlusEstimator(AdvantageSettings settings) {
        this.settings = settings;
    }

    @Override
    public AdvantageResult compute(AdvantageInput input) {
        double[][] r = input.tokenRewardsOrScores();
        double[][] mask = input.mask();
        double[][] returns = new double[r.length][];
        for (int i = 0; i < r.length; i++) {
            returns[i] = new double[r[i].length];
            double running = 0;
            for (int t = r[i].length - 1; t >= 0; t--) {
                // verl: running = (r_t + γ·running)·mask_t, so padding resets the return
                running = mask[i][t] == 0 ? 0 : r[i][t] + settings.gamma() * running;
                returns[i][t] = running;
            }
        }
        return new AdvantageResult(Whitening.whiten(returns, mask, settings.whitenEpsilon()), returns);
    }
}
