package troupe.core.reward;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import troupe.core.reward.ScorerFault.Kind;

/**
 * Runs scorers so that nothing they do can kill a step (issue 5 item 6, DESIGN.md "quarantined
 * with an event"): an exception, a wrong number of scores, NaN/±Inf or a missed deadline each
 * becomes a {@link ScoringOutcome.Faulted} with its {@link Kind} (a {@link ScorerException} keeps the
 * kind it names).
 */
public final class SafeScoring {

    /** Objective name used when a scorer throws from {@link RewardScorer#objective()} itself. */
    public static final String UNKNOWN_OBJECTIVE = "unknown";

    private SafeScoring() {}

    /**
     * Scores one batch on {@code executor} and waits at most {@code deadline}. On timeout the task
     * is cancelled with an interrupt; a scorer that ignores interrupts keeps its thread busy, so
     * give each scorer its own executor if that matters.
     */
    public static ScoringOutcome run(RewardScorer scorer, List<ScoreInput> batch, Duration deadline,
            ExecutorService executor) {
        long start = System.nanoTime();
        Objective objective;
        try {
            objective = scorer.objective();
        } catch (RuntimeException e) {
            return new ScoringOutcome.Faulted(ScorerFault.thrown(UNKNOWN_OBJECTIVE, e), elapsedMillis(start));
        }
        Future<float[]> future;
        try {
            future = executor.submit(() -> scorer.score(batch));
        } catch (RejectedExecutionException e) {
            return fault(objective.name(), Kind.UNAVAILABLE, "executor rejected the task: " + ScorerFault.describe(e), start);
        }
        return await(objective, future, batch.size(), System.nanoTime() + deadline.toNanos(), start);
    }

    /**
     * Scores one batch with every scorer concurrently under one shared deadline.
     *
     * @return one outcome per scorer, in scorer order
     */
    public static List<ScoringOutcome> runAll(List<RewardScorer> scorers, List<ScoreInput> batch, Duration deadline,
            ExecutorService executor) {
        long start = System.nanoTime();
        long deadlineNanos = start + deadline.toNanos();
        List<Objective> objectives = new ArrayList<>();
        List<Object> pending = new ArrayList<>(); // Future<float[]> or a ready Faulted
        for (RewardScorer scorer : scorers) {
            Objective objective = null;
            try {
                objective = scorer.objective();
                pending.add(executor.submit(() -> scorer.score(batch)));
            } catch (RejectedExecutionException e) {
                pending.add(fault(objective == null ? UNKNOWN_OBJECTIVE : objective.name(), Kind.UNAVAILABLE, "executor rejected the task: " + ScorerFault.describe(e), start));
            } catch (RuntimeException e) {
                pending.add(new ScoringOutcome.Faulted(ScorerFault.thrown(UNKNOWN_OBJECTIVE, e), elapsedMillis(start)));
            }
            objectives.add(objective);
        }
        List<ScoringOutcome> out = new ArrayList<>(scorers.size());
        for (int i = 0; i < scorers.size(); i++) {
            Object p = pending.get(i);
            if (p instanceof ScoringOutcome ready) {
                out.add(ready);
            } else {
                @SuppressWarnings("unchecked")
                Future<float[]> future = (Future<float[]>) p;
                out.add(await(objectives.get(i), future, batch.size(), deadlineNanos, start));
            }
        }
        return out;
    }

    /** Checks a column: non-null, {@code expected} entries, all finite. */
    public static ScoringOutcome validate(Objective objective, float[] scores, int expected, double millis) {
        return ScorerFault.check(objective.name(), scores, expected)
                .<ScoringOutcome>map(f -> new ScoringOutcome.Faulted(f, millis))
                .orElseGet(() -> new ScoringOutcome.Scored(objective, scores.clone(), millis));
    }

    private static ScoringOutcome await(Objective objective, Future<float[]> future, int expected, long deadlineNanos,
            long start) {
        try {
            long left = Math.max(0, deadlineNanos - System.nanoTime());
            float[] scores = future.get(left, TimeUnit.NANOSECONDS);
            return validate(objective, scores, expected, elapsedMillis(start));
        } catch (TimeoutException e) {
            future.cancel(true);
            return fault(objective.name(), Kind.DEADLINE,
                    "no scores within " + (deadlineNanos - start) / 1_000_000 + " ms", start);
        } catch (ExecutionException e) {
            return new ScoringOutcome.Faulted(ScorerFault.thrown(objective.name(), e.getCause()), elapsedMillis(start));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return fault(objective.name(), Kind.UNAVAILABLE, "interrupted while waiting for the scorer", start);
        } catch (java.util.concurrent.CancellationException e) {
            return fault(objective.name(), Kind.UNAVAILABLE, "scoring task was cancelled", start);
        }
    }

    private static ScoringOutcome.Faulted fault(String objective, Kind kind, String detail, long start) {
        return new ScoringOutcome.Faulted(new ScorerFault(objective, kind, detail), elapsedMillis(start));
    }

    private static double elapsedMillis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
