package troupe.core.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import troupe.core.reward.ScorerFault.Kind;

class SafeScoringTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    static List<ScoreInput> inputs(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> new ScoreInput("q", "a".repeat(i), new int[] {1}, new int[i], "", Map.of(), false))
                .toList();
    }

    static RewardScorer scorer(String name, Function<List<ScoreInput>, float[]> f) {
        Objective o = new Objective(name, Direction.MAXIMIZE);
        return new RewardScorer() {
            @Override
            public Objective objective() {
                return o;
            }

            @Override
            public float[] score(List<ScoreInput> batch) {
                return f.apply(batch);
            }
        };
    }

    private ScoringOutcome run(RewardScorer s) {
        return SafeScoring.run(s, inputs(3), Duration.ofSeconds(5), executor);
    }

    private static Kind faultKind(ScoringOutcome o) {
        return assertInstanceOf(ScoringOutcome.Faulted.class, o).fault().kind();
    }

    @Test
    void validColumnIsScored() {
        var o = assertInstanceOf(ScoringOutcome.Scored.class, run(scorer("ok", b -> new float[] {1, 2, 3})));
        assertArrayEquals(new float[] {1, 2, 3}, o.scores());
        assertEquals("ok", o.objectiveName());
    }

    @Test
    void throwingScorerIsAnExceptionFault() {
        var o = run(scorer("boom", b -> {
            throw new IllegalStateException("model not loaded");
        }));
        assertEquals(Kind.EXCEPTION, faultKind(o));
        assertTrue(((ScoringOutcome.Faulted) o).fault().detail().contains("model not loaded"));
        assertEquals("boom", o.objectiveName());
    }

    @Test
    void scorerExceptionKeepsTheKindItNames() {
        var o = run(scorer("remote", b -> {
            throw new ScorerException(Kind.UNAVAILABLE, "connection refused", null);
        }));
        assertEquals(Kind.UNAVAILABLE, faultKind(o));
        assertEquals("ScorerException: connection refused", ((ScoringOutcome.Faulted) o).fault().detail());
    }

    @Test
    void wrongCountOrNullIsAWrongCountFault() {
        assertEquals(Kind.WRONG_COUNT, faultKind(run(scorer("short", b -> new float[] {1, 2}))));
        assertEquals(Kind.WRONG_COUNT, faultKind(run(scorer("null", b -> null))));
    }

    @Test
    void nanAndInfinityAreNonFiniteFaults() {
        assertEquals(Kind.NON_FINITE, faultKind(run(scorer("nan", b -> new float[] {1, Float.NaN, 3}))));
        assertEquals(Kind.NON_FINITE, faultKind(run(scorer("inf", b -> new float[] {Float.POSITIVE_INFINITY, 0, 0}))));
        assertEquals(Kind.NON_FINITE, faultKind(run(scorer("-inf", b -> new float[] {0, 0, Float.NEGATIVE_INFINITY}))));
    }

    @Test
    void slowScorerMissesItsDeadline() {
        RewardScorer sleepy = scorer("sleepy", b -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new float[] {1, 2, 3};
        });
        long start = System.nanoTime();
        var o = SafeScoring.run(sleepy, inputs(3), Duration.ofMillis(100), executor);
        assertEquals(Kind.DEADLINE, faultKind(o));
        assertTrue((System.nanoTime() - start) / 1e6 < 5_000, "returned at the deadline, not when the scorer finished");
    }

    @Test
    void objectiveThatThrowsIsAFaultToo() {
        RewardScorer broken = new RewardScorer() {
            @Override
            public Objective objective() {
                throw new UnsupportedOperationException("no objective");
            }

            @Override
            public float[] score(List<ScoreInput> batch) {
                return new float[batch.size()];
            }
        };
        assertEquals(Kind.EXCEPTION, faultKind(run(broken)));
    }
}
