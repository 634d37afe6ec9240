package troupe.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import troupe.core.reward.ExplainedScorer;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.SafeScoring;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.ScorerFault;
import troupe.core.reward.ScoringOutcome;

/**
 * One scorer on one sample through {@link SafeScoring}, as the reward stage runs it (an exception,
 * NaN or a missed deadline becomes the same {@link ScorerFault}), keeping an
 * {@link ExplainedScorer}'s outcome beside its score.
 */
final class ScorerRuns {

    /** A score with its outcome (null when the scorer gives none), or a fault. */
    record Result(String objective, float score, String outcome, ScorerFault fault) {
    }

    private ScorerRuns() {
    }

    static Result one(RewardScorer scorer, ScoreInput input, Duration deadline, ExecutorService executor) {
        AtomicReference<String> outcome = new AtomicReference<>();
        RewardScorer run = scorer instanceof ExplainedScorer e ? new Recording(e, outcome) : scorer;
        ScoringOutcome o = SafeScoring.run(run, List.of(input), deadline, executor);
        if (o instanceof ScoringOutcome.Scored s) {
            return new Result(s.objectiveName(), s.scores()[0], outcome.get(), null);
        }
        ScorerFault f = ((ScoringOutcome.Faulted) o).fault();
        return new Result(f.objective(), Float.NaN, null, f);
    }

    /** Scores through {@link ExplainedScorer#explain}, recording the reason of the one sample. */
    private record Recording(ExplainedScorer scorer, AtomicReference<String> outcome) implements RewardScorer {
        @Override
        public Objective objective() {
            return scorer.objective();
        }

        @Override
        public float[] score(List<ScoreInput> batch) {
            List<ExplainedScorer.Explained> e = scorer.explain(batch);
            float[] out = new float[e.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = e.get(i).score();
            }
            if (e.size() == 1) {
                outcome.set(e.get(0).outcome());
            }
            return out;
        }
    }
}
