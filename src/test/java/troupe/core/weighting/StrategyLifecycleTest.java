package troupe.core.weighting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.TestSettings;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/** Joining, leaving, faulted objectives and checkpoint round trips, for every registered strategy. */
class StrategyLifecycleTest {

    static final Objective ACC = new Objective("acc", Direction.MAXIMIZE);
    static final Objective LEN = new Objective("len", Direction.MINIMIZE);
    static final Objective FMT = new Objective("fmt", Direction.MAXIMIZE);

    static List<String> strategies() {
        return WeightingStrategies.names();
    }

    static WeightingStrategy create(String name, double share) {
        // each strategy's own reference block, equal initial weights
        return WeightingStrategies.create(name, TestSettings.learner("weighting." + name),
                new SimplexSettings(Map.of(), share), List.of(ACC, LEN));
    }

    /** A random batch of 3 groups × 4 samples, with validation and Gram matrix for whoever needs them. */
    static WeightingInput input(Random r, List<Objective> objectives) {
        int n = 12;
        int k = objectives.size();
        double[][] rewards = new double[n][k];
        long[] groups = new long[n];
        for (int i = 0; i < n; i++) {
            groups[i] = i / 4;
            for (int j = 0; j < k; j++) {
                rewards[i][j] = objectives.get(j).direction() == Direction.MINIMIZE ? 5 + r.nextInt(20) : r.nextDouble();
            }
        }
        double[][] g = new double[k][];
        for (int j = 0; j < k; j++) {
            g[j] = r.doubles(5).toArray();
        }
        double[][] gram = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                for (int d = 0; d < 5; d++) {
                    gram[a][b] += g[a][d] * g[b][d];
                }
            }
        }
        Map<String, Double> validation = new java.util.LinkedHashMap<>();
        for (Objective o : objectives) {
            validation.put(o.name(), o.direction() == Direction.MINIMIZE ? 20 - 10 * r.nextDouble() : r.nextDouble());
        }
        return WeightingInput.of(objectives, rewards, groups).withValidation(validation).withGradientGram(gram);
    }

    static double sum(Map<String, Double> w) {
        return w.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void objectiveJoiningMidRunGetsTheConfiguredShare(String name) {
        WeightingStrategy s = create(name, 0.2);
        Random r = new Random(1);
        s.step(input(r, List.of(ACC, LEN)));
        Map<String, Double> before = s.weights();
        s.addObjective(FMT);
        Map<String, Double> after = s.weights();
        assertEquals(0.2, after.get("fmt"), 1e-12);
        assertEquals(0.8 * before.get("acc"), after.get("acc"), 1e-12);
        assertEquals(1, sum(after), 1e-9);

        WeightingResult res = s.step(input(r, List.of(ACC, LEN, FMT)));
        assertEquals(12, res.rewards().length);
        assertEquals(List.of("acc", "len", "fmt"), s.objectives().stream().map(Objective::name).toList());
        assertEquals(1, sum(res.weights()), 1e-9);
        assertTrue(java.util.Arrays.stream(res.rewards()).allMatch(Double::isFinite));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void anExplicitInitialShareOverridesTheConfiguredOne(String name) {
        WeightingStrategy s = create(name, 0.2);
        Random r = new Random(4);
        s.step(input(r, List.of(ACC, LEN)));
        Map<String, Double> before = s.weights();
        s.addObjective(FMT, 0.35);
        Map<String, Double> after = s.weights();
        assertEquals(0.35, after.get("fmt"), 1e-12);
        assertEquals(0.65 * before.get("len"), after.get("len"), 1e-12);
        s.addObjective(FMT, 0.9); // already tracked: nothing changes
        assertEquals(after, s.weights());
        assertThrows(IllegalArgumentException.class, () -> s.addObjective(new Objective("x", Direction.MAXIMIZE), 1.0));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void objectiveAppearingInABatchIsAddedWithAnEqualShareByDefault(String name) {
        WeightingStrategy s = create(name, 0);
        Random r = new Random(2);
        s.step(input(r, List.of(ACC, LEN)));
        WeightingResult res = s.step(input(r, List.of(ACC, LEN, FMT)));
        assertEquals(3, res.weights().size());
        assertEquals(1, sum(res.weights()), 1e-9);
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void removingAnObjectiveShrinksTheStateAndRenormalises(String name) {
        WeightingStrategy s = create(name, 0);
        Random r = new Random(3);
        s.addObjective(FMT);
        s.step(input(r, List.of(ACC, LEN, FMT)));
        s.step(input(r, List.of(ACC, LEN, FMT)));
        s.removeObjective("len");
        assertEquals(List.of("acc", "fmt"), new ArrayList<>(s.weights().keySet()));
        assertEquals(1, sum(s.weights()), 1e-9);
        assertFalse(s.exportState().contains("\"len\""), s.exportState());
        WeightingResult res = s.step(input(r, List.of(ACC, FMT)));
        assertTrue(java.util.Arrays.stream(res.rewards()).allMatch(Double::isFinite));
        assertThrows(IllegalArgumentException.class, () -> s.removeObjective("len"));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void faultedObjectiveIsSkippedForTheStepOnly(String name) {
        WeightingStrategy s = create(name, 0);
        Random r = new Random(4);
        s.step(input(r, List.of(ACC, LEN)));
        WeightingResult res = s.step(input(r, List.of(ACC))); // len's scorer faulted
        assertEquals(Map.of("acc", 1.0), res.effectiveWeights());
        assertEquals(1.0, res.diagnostics().get("objectives.missing"));
        assertTrue(s.weights().containsKey("len"), "state keeps the absent objective");
        assertEquals(1, sum(s.weights()), 1e-9);
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void restoredStrategyContinuesIdentically(String name) {
        WeightingStrategy original = create(name, 0.25);
        Random r = new Random(5);
        for (int step = 0; step < 4; step++) {
            original.step(input(r, step < 2 ? List.of(ACC, LEN) : List.of(ACC, LEN, FMT)));
        }
        String state = original.exportState();
        WeightingStrategy restored = create(name, 0.25);
        restored.restoreState(state);
        assertEquals(state, restored.exportState());
        for (int step = 0; step < 4; step++) {
            List<Objective> objs = step == 2 ? List.of(ACC, FMT) : List.of(ACC, LEN, FMT);
            WeightingInput in = input(r, objs);
            WeightingResult a = original.step(in);
            WeightingResult b = restored.step(in);
            assertArrayEquals(a.rewards(), b.rewards(), 0.0, "step " + step);
            assertEquals(a.weights(), b.weights());
            assertEquals(a.multiplier(), b.multiplier());
            assertEquals(a.diagnostics(), b.diagnostics());
        }
        assertEquals(original.exportState(), restored.exportState());
    }

    @Test
    void stateOfAnotherStrategyIsRejected() {
        String state = create("fixed-linear", 0).exportState();
        assertThrows(IllegalArgumentException.class, () -> create("gdpo", 0).restoreState(state));
    }

    @Test
    void unknownStrategyOrKeyFailsListingWhatIsSupported() {
        var e = assertThrows(IllegalArgumentException.class, () -> TestSettings.weighting().create("pareto-magic",
                Map.of(), List.of()));
        assertTrue(e.getMessage().contains("hypervolume") && e.getMessage().contains("maxmin"), e.getMessage());
        var k = assertThrows(SettingsException.class, () -> WeightingStrategies.create("mirror-descent",
                ConfigReader.of(ConfigFactory.parseMap(Map.of("learning-rate", 1))
                        .withFallback(TestSettings.learner("weighting.mirror-descent").raw()),
                        "troupe.learner.weighting.mirror-descent"), TestSettings.equalWeights(), List.of()));
        assertEquals("troupe.learner.weighting.mirror-descent.learning-rate", k.key());
        assertTrue(k.getMessage().contains("[accumulate, step-size]"), k.getMessage());
    }

    @Test
    void onlyMirrorDescentNeedsTheGramAndOnlyHypervolumeNeedsValidation() {
        for (String name : strategies()) {
            WeightingStrategy s = create(name, 0);
            assertEquals(name.equals("mirror-descent"), s.needsGradientGram(), name);
            assertEquals(name.equals("hypervolume"), s.needsValidation(), name);
        }
    }
}
