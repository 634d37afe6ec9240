package troupe.core.weighting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.pareto.ParetoArchive;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.TestSettings;

class HypervolumeBufferTest {

    static final Objective A = new Objective("a", Direction.MAXIMIZE);
    static final Objective B = new Objective("b", Direction.MAXIMIZE);
    static final Objective C = new Objective("c", Direction.MAXIMIZE);

    @Test
    void removingAnAxisReprojectsAndRefiltersTheBuffer() {
        ParetoArchive archive = new ParetoArchive();
        archive.addAxis("a", 0);
        archive.addAxis("b", 0);
        archive.add(Map.of("a", 1.0, "b", 3.0));
        archive.add(Map.of("a", 2.0, "b", 1.0));
        assertEquals(2, archive.size());
        assertEquals(1 * 3 + 1 * 1, archive.hypervolume(Map.of()), 1e-12);
        archive.removeAxis("b");
        assertEquals(List.of("a"), archive.axes());
        assertEquals(1, archive.size(), "(1) is dominated by (2) once b is gone");
        assertEquals(2, archive.hypervolume(Map.of()), 1e-12);
    }

    @Test
    void joiningObjectiveIsAnchoredAtItsFirstValidationValue() {
        var settings = new HypervolumeGuidedStrategy.Settings(0.5, 1.5, 1.0, HypervolumeGuidedStrategy.Rescale.NONE, 1,
                Map.of());
        var s = new HypervolumeGuidedStrategy(settings, TestSettings.equalWeights(), List.of(A, B));
        WeightingInput ab = WeightingInput.of(List.of(A, B), new double[][] {{1, 1}}, new long[] {0});
        WeightingInput abc = WeightingInput.of(List.of(A, B, C), new double[][] {{1, 1, 1}}, new long[] {0});
        s.step(ab.withValidation(Map.of("a", 0.0, "b", 0.0)));
        s.step(ab.withValidation(Map.of("a", 1.0, "b", 1.0)));
        assertEquals(0.5 + 1.5 * Math.tanh(1), s.multiplier(), 1e-12);

        s.step(abc.withValidation(Map.of("a", 1.0, "b", 1.0, "c", 5.0)));
        assertEquals(0.5, s.multiplier(), 1e-12, "on the new axis nothing has improved yet");
        WeightingResult r = s.step(abc.withValidation(Map.of("a", 2.0, "b", 2.0, "c", 6.0)));
        // reference (0, 0, 5); the old point (1, 1, 5) has no volume; the new one (2, 2, 6) adds 2·2·1
        assertEquals(4, r.diagnostics().get("hv.delta"), 1e-12);
    }
}
