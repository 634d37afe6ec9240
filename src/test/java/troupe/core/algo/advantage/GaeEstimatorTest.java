package troupe.core.algo.advantage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;
import troupe.core.algo.kl.KlEstimators;
import troupe.core.algo.kl.KlPenalty;

class GaeEstimatorTest {

    private static final double[][] MASK = {{1, 1, 1}};
    private static final double[][] VALUES = {{0.5, 0.6, 0.7}};

    @Test
    void tokenRewardsPutScoreOnLastTokenAndSubtractBetaKl() {
        // k1 = logp − ref = [0.2, −0.5, 0.1]
        double[][] kl = KlPenalty.perToken(new double[][] {{0.2, -0.5, 0.1}}, new double[][] {{0, 0, 0}},
                MASK, KlEstimators.create("k1", TestSettings.kl()));
        double[][] r = TokenRewards.withKlPenalty(TokenRewards.fromScores(new double[] {1.0}, MASK), kl, 0.1, MASK);
        assertArrayEquals(new double[] {-0.02, 0.05, 0.99}, r[0], 1e-12);
    }

    @Test
    void section3AdvantagesAndReturns() {
        AdvantageSettings s = TestSettings.advantage().withGae(1.0, 0.95);
        AdvantageInput in = AdvantageInput.outcome(new double[] {1}, new int[] {0}, MASK)
                .withTokenRewards(new double[][] {{-0.02, 0.05, 0.99}}).withValues(VALUES);
        AdvantageSettings raw = TestSettings.advantage().withEstimator("gae").withGae(1.0, 0.95).withWhitenGae(false);
        AdvantageResult unwhitened = new GaeEstimator(raw).compute(in);
        assertArrayEquals(new double[] {0.484225, 0.4255, 0.29}, unwhitened.advantages()[0], 1e-12);
        assertArrayEquals(new double[] {0.984225, 1.0255, 0.99}, unwhitened.returns()[0], 1e-12);
        AdvantageResult whitened = AdvantageEstimators.create("gae", s).compute(in);
        assertArrayEquals(new double[] {0.846472, 0.256920, -1.103392}, whitened.advantages()[0], 1e-6);
        assertArrayEquals(unwhitened.returns()[0], whitened.returns()[0], 0);
    }

    @Test
    void paddingInsideTheSequenceIsSkippedCarryingValueAndAdvantage() {
        AdvantageSettings raw = TestSettings.advantage().withEstimator("gae").withGae(1.0, 0.95).withWhitenGae(false);
        AdvantageInput gappy = AdvantageInput.outcome(new double[] {1}, new int[] {0}, new double[][] {{1, 0, 1, 1, 0}})
                .withTokenRewards(new double[][] {{-0.02, 42, 0.05, 0.99, 42}})
                .withValues(new double[][] {{0.5, 42, 0.6, 0.7, 42}});
        double[] a = new GaeEstimator(raw).compute(gappy).advantages()[0];
        assertArrayEquals(new double[] {0.484225, 0, 0.4255, 0.29, 0}, a, 1e-12);
    }
}
