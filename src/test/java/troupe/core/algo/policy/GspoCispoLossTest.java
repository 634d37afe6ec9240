package troupe.core.algo.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.typesafe.config.ConfigFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;
import troupe.core.algo.Nd;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/** The worked examples of ALGORITHMS.md §10 for GSPO and CISPO, gradients by DJL autograd (float64). */
class GspoCispoLossTest {

    private static PolicyLossSettings settings(String loss) {
        return (PolicyLossSettings) PolicyLosses.REGISTRY.settings(loss, TestSettings.learner("policy-loss"));
    }

    /** Loss and d loss / d logp of one call, logp = old + {@code logRatio}. */
    private record Run(double loss, double[][] grad, PolicyMetrics metrics) {}

    private static Run run(PolicyLoss loss, double[][] old, double[][] logRatio, double[][] adv, double[][] mask) {
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] logp = new double[old.length][];
            for (int i = 0; i < old.length; i++) {
                logp[i] = new double[old[i].length];
                for (int t = 0; t < old[i].length; t++) {
                    logp[i][t] = old[i][t] + logRatio[i][t];
                }
            }
            NDArray x = Nd.of(m, logp);
            x.setRequiresGradient(true);
            PolicyLossResult r;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                r = loss.compute(PolicyLossInput.of(x, Nd.of(m, old), Nd.of(m, adv), Nd.of(m, mask)));
                gc.backward(r.loss());
            }
            return new Run(Nd.scalar(r.loss()), Nd.matrix(x.getGradient()), r.metrics());
        }
    }

    @Test
    void gspoDefaultsAreThePapersAndTheSequenceRatioOfTheWorkedExample() {
        PolicyLossSettings s = settings("gspo");
        assertEquals(3e-4, s.clipLow(), 0);
        assertEquals(4e-4, s.clipHigh(), 0);
        double[][] old = {{-1.0, -2.0, -0.5}};
        double[][] diff = {{0.1, -0.05, 0.2}};
        double[][] mask = {{1, 1, 1}};
        // A = 1: s = 1.086904 > 1 + ε_h, so the clipped branch −1.0004 is taken and carries no gradient.
        Run up = run(new GspoLoss(s), old, diff, new double[][] {{1, 1, 1}}, mask);
        assertEquals(-1.0004, up.loss(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, up.grad()[0], 0);
        assertEquals(1.0, up.metrics().clipFraction(), 0);
        assertEquals(1.086904, up.metrics().ratioMean(), 1e-6);
        // A = −1: min(−s, −clip(s)) = −s is unclipped; loss s, gradient s/|y| per token.
        Run down = run(new GspoLoss(s), old, diff, new double[][] {{-1, -1, -1}}, mask);
        assertEquals(1.086904, down.loss(), 1e-6);
        assertArrayEquals(new double[] {0.362301, 0.362301, 0.362301}, down.grad()[0], 1e-6);
        assertEquals(0.0, down.metrics().clipFraction(), 0);
    }

    @Test
    void gspoIsTheMeanOverSequencesWhateverTheConfiguredAggregation() {
        PolicyLossSettings s = settings("gspo").withAggregation(troupe.core.algo.LossAggregation.TOKEN_MEAN);
        // Row 0 has 3 tokens, row 1 one; both unclipped with A = −1 and log-ratio 0: loss mean(1, 1) = 1,
        // gradient 1/(2·|y_i|): a token-mean would give every token 1/4 instead.
        Run r = run(new GspoLoss(s), new double[][] {{-1, -1, -1}, {-2, 0, 0}}, new double[2][3],
                new double[][] {{-1, -1, -1}, {-1, 0, 0}}, new double[][] {{1, 1, 1}, {1, 0, 0}});
        assertEquals(1.0, r.loss(), 1e-12);
        assertArrayEquals(new double[] {1.0 / 6, 1.0 / 6, 1.0 / 6}, r.grad()[0], 1e-12);
        assertArrayEquals(new double[] {0.5, 0, 0}, r.grad()[1], 1e-12);
    }

    @Test
    void gspoWithOneTokenResponsesIsPpoClipAtSequenceLevel() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 5; trial++) {
            int b = 6;
            double[][] old = Nd.randn(rnd, b, 1, 1, -1);
            double[][] diff = Nd.randn(rnd, b, 1, 0.3, 0);
            double[][] adv = Nd.randn(rnd, b, 1, 1, 0);
            double[][] mask = new double[b][1];
            for (double[] row : mask) {
                row[0] = 1;
            }
            PolicyLossSettings gspo = settings("gspo").withClip(0.1, 0.15);
            // the same clip range, no dual clip: GSPO has none
            PolicyLossSettings ppo = TestSettings.policyLoss().withClip(0.1, 0.15).withDualClip(Double.POSITIVE_INFINITY);
            Run g = run(new GspoLoss(gspo), old, diff, adv, mask);
            Run p = run(new PpoClipLoss(ppo), old, diff, adv, mask);
            assertEquals(p.loss(), g.loss(), 1e-12, "trial " + trial);
            for (int i = 0; i < b; i++) {
                assertArrayEquals(p.grad()[i], g.grad()[i], 1e-12, "trial " + trial + " row " + i);
            }
            assertEquals(p.metrics().clipFraction(), g.metrics().clipFraction(), 1e-12);
        }
    }

    @Test
    void cispoWorkedExampleKeepsEveryTokensGradientWithTheClippedWeight() {
        PolicyLossSettings s = settings("cispo");
        assertEquals(1.0, s.clipLow(), 0, "no lower clip by default");
        assertEquals(0.2, s.clipHigh(), 0);
        double[][] diff = {{Math.log(1.5), Math.log(0.9)}};
        double[][] old = {{-1 - diff[0][0], -2 - diff[0][1]}};
        Run r = run(new CispoLoss(s), old, diff, new double[][] {{2, 2}}, new double[][] {{1, 1}});
        assertEquals(3.0, r.loss(), 1e-12, "−(1.2·2·(−1) + 0.9·2·(−2)) / 2");
        // d/dlogπ of −w·A·logπ / 2 with w held fixed: −1.2, −0.9 (the clipped token still moves).
        assertArrayEquals(new double[] {-1.2, -0.9}, r.grad()[0], 1e-12);
        assertEquals(0.5, r.metrics().clipFraction(), 0, "one of two weights truncated");
        // With verl's plain default clip-low 0.2 a weight of 0.5 is lifted to the floor 0.8.
        Run floor = run(new CispoLoss(s.withClip(0.2, 0.2)), new double[][] {{-1 - Math.log(0.5)}},
                new double[][] {{Math.log(0.5)}}, new double[][] {{1}}, new double[][] {{1}});
        assertEquals(0.8, floor.loss(), 1e-12, "−0.8·1·(−1)");
    }

    @Test
    void ownClipBlocksAreValidatedAndNamedByTheirKey() {
        ConfigReader bad = ConfigReader.at(ConfigFactory.parseString("p { gspo.clip-high = -1 }")
                .withFallback(TestSettings.REFERENCE.getConfig("troupe.learner.policy-loss").atPath("p")), "p");
        SettingsException e = assertThrows(SettingsException.class, () -> PolicyLossSettings.fromConfig(bad));
        assertEquals("p.gspo.clip-high", e.key());
        // ppo-clip keeps its own range when gspo and cispo have theirs
        PolicyLossSettings ppo = TestSettings.policyLoss();
        assertTrue(ppo.clipLow() == 0.2 && ppo.clipHigh() == 0.28, ppo.toString());
    }
}
