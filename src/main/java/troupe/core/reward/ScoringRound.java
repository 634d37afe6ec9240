package troupe.core.reward;

import java.util.ArrayList;
import java.util.List;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.ScorerFault;

/**
 * The reward stage's result for one batch: the columns that scored and the faults of the rest,
 * ready for {@link RolloutBatch#withRewards}.
 *
 * @param objectives objectives that produced a valid column, in scorer order
 * @param columns {@code columns[k][i]} = score of sample i under {@code objectives.get(k)}
 * @param faults one per failed scorer
 */
public record ScoringRound(List<Objective> objectives, float[][] columns, List<ScorerFault> faults) {

    public ScoringRound {
        objectives = List.copyOf(objectives);
        faults = List.copyOf(faults);
    }

    /** Splits outcomes into columns and faults; a second column for the same objective is a fault. */
    public static ScoringRound of(List<ScoringOutcome> outcomes) {
        List<Objective> objectives = new ArrayList<>();
        List<float[]> columns = new ArrayList<>();
        List<ScorerFault> faults = new ArrayList<>();
        for (ScoringOutcome o : outcomes) {
            if (o instanceof ScoringOutcome.Scored s) {
                if (objectives.stream().anyMatch(x -> x.name().equals(s.objective().name()))) {
                    faults.add(new ScorerFault(s.objective().name(), ScorerFault.Kind.EXCEPTION,
                            "duplicate column for objective '" + s.objective().name() + "'"));
                } else {
                    objectives.add(s.objective());
                    columns.add(s.scores());
                }
            } else if (o instanceof ScoringOutcome.Faulted f) {
                faults.add(f.fault());
            }
        }
        return new ScoringRound(objectives, columns.toArray(new float[0][]), faults);
    }

    /** The batch with these columns and faults attached. */
    public RolloutBatch applyTo(RolloutBatch batch) {
        return batch.withRewards(objectives, columns, faults);
    }

    /** What the scorers see of a batch, one input per sample, in sample order. */
    public static List<ScoreInput> inputsOf(RolloutBatch batch) {
        List<ScoreInput> inputs = new ArrayList<>(batch.size());
        for (Sample s : batch.samples()) {
            inputs.add(new ScoreInput(s.promptText(), s.responseText(), s.promptTokens(), s.responseTokens(), s.task(),
                    s.metadata(), s.truncated()));
        }
        return inputs;
    }
}
