package troupe.core.algo.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import troupe.core.algo.Nd;
import troupe.core.TestSettings;

class PgLossTest {

    @Test
    void onPolicyGradientIsMinusAdvantageOverTokenCountInFloat32() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] logp = {{-1.0, -2.0, -0.5}, {-0.3, -0.7, 5.0}};
            double[][] adv = {{1.0, 1.0, 1.0}, {-2.0, -2.0, 0}};
            double[][] mask = {{1, 1, 1}, {1, 1, 0}};
            NDArray x = Nd.f32(m, logp);
            x.setRequiresGradient(true);
            PolicyLossResult r;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                r = PolicyLosses.create(TestSettings.policyLoss().withName("pg"))
                        .compute(PolicyLossInput.of(x, Nd.f32(m, logp), Nd.f32(m, adv), Nd.f32(m, mask)));
                gc.backward(r.loss());
            }
            assertEquals(0.2, Nd.scalar(r.loss()), 1e-6); // −(1 + 1 + 1 − 2 − 2)/5
            double[] g = Nd.matrix(x.getGradient())[0];
            assertArrayEquals(new double[] {-0.2, -0.2, -0.2}, g, 1e-6);
            assertArrayEquals(new double[] {0.4, 0.4, 0}, Nd.matrix(x.getGradient())[1], 1e-6);
            assertEquals(1.0, r.metrics().ratioMean(), 1e-6);
        }
    }
}
