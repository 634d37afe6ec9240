package troupe.core.model.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import troupe.core.health.MaskedMean;

class HealthSampleTest {

    @Test
    void rowsAreEvenlySpacedAndEveryRowOfASmallBatch() {
        assertArrayEquals(new boolean[] {true, false, true, false, false, true, false, true, false, false},
                HealthSample.rows(10, 4)); // ⌊j·10/4⌋ = 0, 2, 5, 7
        assertArrayEquals(new boolean[] {true, true, true}, HealthSample.rows(3, 16));
        boolean[] big = HealthSample.rows(512, 16);
        int n = 0;
        for (int i = 0; i < big.length; i++) {
            n += big[i] ? 1 : 0;
            assertEquals(i % 32 == 0, big[i], "row " + i);
        }
        assertEquals(16, n);
        assertThrows(IllegalArgumentException.class, () -> HealthSample.rows(4, 0));
    }

    @Test
    void aRowOutsideTheSampleCountsNoTokenInTheHealthMeans() {
        float[][] values = {{1f, 3f}, null, {5f}};
        boolean[][] mask = {{true, true}, {true, true, true}, {false}};
        assertEquals(2.0, MaskedMean.of(values, mask), 0);
        assertEquals(Double.NaN, MaskedMean.of(new float[][] {null}, new boolean[][] {{true}}));
    }
}
