package troupe.core.reward;

import java.util.ArrayList;
import java.util.List;

/**
 * The reward stage's result for one batch: the columns that scored and the faults of the rest,
 * ready for {@code RolloutBatch.withRewards}. Both ways of scoring build it from
 * {@link ScoringOutcome}s — in process ({@link SafeScoring}) and across actors (the reward
 * coordinator, from its scorer hosts' answers) — so a column and a fault mean the same in both.
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

    /** This round with {@code earlier} faults (e.g. quarantined scorers that were not asked) listed first. */
    public ScoringRound afterFaults(List<ScorerFault> earlier) {
        List<ScorerFault> all = new ArrayList<>(earlier);
        all.addAll(faults);
        return new ScoringRound(objectives, columns, all);
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
}
