package troupe.core.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class TokenLogProbsTest {

    @Test
    void logProbAndEntropyMatchSection1Example() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new double[] {2, 1, 0}, new Shape(1, 1, 3)); // [B=1, L=1, V=3]
            NDArray token = m.create(new long[] {0}, new Shape(1, 1));
            assertEquals(-0.407606, Nd.scalar(TokenLogProbs.logProbs(logits, token, 1.0)), 1e-6);
            assertEquals(0.832396, Nd.scalar(TokenLogProbs.entropy(logits, 1.0)), 1e-6);
            assertEquals(-0.142932, Nd.scalar(TokenLogProbs.logProbs(logits, token, 0.5)), 1e-6);
            assertEquals(0.441057, Nd.scalar(TokenLogProbs.entropy(logits, 0.5)), 1e-6);
        }
    }
}
