package troupe.core.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class FiniteChecksTest {

    @Test
    void nanInTensorIsReportedWithNameAndIndex() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] adv = new double[2][5];
            adv[1][3] = Double.NaN;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FiniteChecks.requireFinite("advantages", Nd.f32(m, adv)));
            assertEquals("advantages contains NaN at [1, 3]", e.getMessage());
        }
    }

    @Test
    void infinityInPlainArrayIsReportedWithSign() {
        double[][] x = {{0, Double.NEGATIVE_INFINITY}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FiniteChecks.requireFinite("logp", x));
        assertEquals("logp contains -Inf at [0, 1]", e.getMessage());
    }
}
