package troupe.core.algo.advantage;

/**
 * Generalised advantage estimation for PPO with a critic (Schulman et al., arXiv 1506.02438),
 * verl {@code compute_gae_advantage_return}. Backwards over t with V_L = 0:
 *
 * <pre>
 * δ_t = r_t + γ·V_{t+1} − V_t,   A_t = δ_t + γλ·A_{t+1},   R_t = A_t + V_t
 * </pre>
 *
 * Masked positions are skipped: the next value and running advantage carry through them
 * unchanged (verl). Advantages are then whitened over all real tokens of the batch
 * ({@link Whitening}); returns are not. Needs {@link AdvantageInput#values()}; token rewards
 * default to the score on the last token. Example: r = [−0.02, 0.05, 0.99],
 * V = [0.5, 0.6, 0.7], γ = 1, λ = 0.95: A = [0.484225, 0.4255, 0.29], R = [0.984225, 1.0255, 0.99],
 * whitened A = [0.846472, 0.256920, −1.103392].
 */
public final class GaeEstimator implements AdvantageEstimator {

    private final AdvantageSettings settings;

    public GaeEstimator(AdvantageSettings settings) {
        this.settings = settings;
    }

    @Override
    public AdvantageResult compute(AdvantageInput input) {
        if (input.values() == null) {
            throw new IllegalArgumentException("gae needs critic values: AdvantageInput.withValues(...)");
        }
        double[][] r = input.tokenRewardsOrScores();
        double[][] v = input.values();
        double[][] mask = input.mask();
        double gamma = settings.gamma();
        double lambda = settings.lambda();
        double[][] adv = new double[r.length][];
        double[][] ret = new double[r.length][];
        for (int i = 0; i < r.length; i++) {
            int l = r[i].length;
            adv[i] = new double[l];
            ret[i] = new double[l];
            double nextValue = 0;
            double lastGae = 0;
            for (int t = l - 1; t >= 0; t--) {
                if (mask[i][t] == 0) {
                    continue; // carry nextValue and lastGae through padding
                }
                double delta = r[i][t] + gamma * nextValue - v[i][t];
                lastGae = delta + gamma * lambda * lastGae;
                nextValue = v[i][t];
                adv[i][t] = lastGae;
                ret[i][t] = lastGae + v[i][t];
            }
        }
        double[][] advantages = settings.whitenGae()
                ? Whitening.whiten(adv, mask, settings.whitenEpsilon())
                : adv;
        return new AdvantageResult(advantages, ret);
    }
}
