package troupe.core.rollout;

import java.util.ArrayList;
import java.util.List;
import troupe.core.reward.Objective;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.ScorerFault;
import troupe.core.reward.ScoringOutcome;

/**
 * The unit of work that flows generator → reward → reference-KL → learner (DESIGN.md). Each
 * stage returns a new batch with its fields added; samples of one group are contiguous.
 *
 * @param runId run this batch belongs to
 * @param batchId unique and increasing within a run; the ledger key for exactly-once training
 * @param policyVersion version of the weights that sampled every response
 * @param sampling how the responses were sampled
 * @param samples the rows
 * @param objectives reward-vector columns, in the order of {@link Sample#rewards()}
 * @param faults scorers that failed on this batch (absent from {@code objectives})
 * @param timings per-stage wall-clock, appended by each stage
 * @param createdUnixMillis creation time
 */
public record RolloutBatch(
        String runId,
        long batchId,
        long policyVersion,
        SamplingParams sampling,
        List<Sample> samples,
        List<Objective> objectives,
        List<ScorerFault> faults,
        List<StageTiming> timings,
        long createdUnixMillis) {

    public RolloutBatch {
        samples = List.copyOf(samples);
        objectives = List.copyOf(objectives);
        faults = List.copyOf(faults);
        timings = List.copyOf(timings);
    }

    /** A batch straight from a generator: no rewards, no faults. */
    public static RolloutBatch sampled(
            String runId, long batchId, long policyVersion, SamplingParams sampling, List<Sample> samples,
            StageTiming generation) {
        return new RolloutBatch(runId, batchId, policyVersion, sampling, samples, List.of(), List.of(),
                List.of(generation), System.currentTimeMillis());
    }

    public int size() {
        return samples.size();
    }

    /** What the scorers see of this batch, one input per sample, in sample order. */
    public List<ScoreInput> scoreInputs() {
        List<ScoreInput> inputs = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            inputs.add(new ScoreInput(s.promptText(), s.responseText(), s.promptTokens(), s.responseTokens(), s.task(),
                    s.metadata(), s.truncated()));
        }
        return inputs;
    }

    /**
     * The reward stage's result from its scorers' outcomes — the one place both ways of scoring
     * (in process, {@code SafeScoring.runAll}, and the actors' reward aggregator) turn outcomes
     * into columns, so a column and a fault mean the same in both. Columns follow the order of
     * {@code outcomes}; a second column for the same objective is a fault.
     *
     * @param earlier faults listed first (e.g. quarantined scorers that were not asked)
     */
    public RolloutBatch withRewards(List<ScoringOutcome> outcomes, List<ScorerFault> earlier) {
        List<Objective> names = new ArrayList<>();
        List<float[]> columns = new ArrayList<>();
        List<ScorerFault> all = new ArrayList<>(earlier);
        for (ScoringOutcome o : outcomes) {
            if (o instanceof ScoringOutcome.Scored s) {
                if (names.stream().anyMatch(x -> x.name().equals(s.objective().name()))) {
                    all.add(new ScorerFault(s.objective().name(), ScorerFault.Kind.EXCEPTION,
                            "duplicate column for objective '" + s.objective().name() + "'"));
                } else {
                    names.add(s.objective());
                    columns.add(s.scores());
                }
            } else if (o instanceof ScoringOutcome.Faulted f) {
                all.add(f.fault());
            }
        }
        return withRewards(names, columns.toArray(new float[0][]), all);
    }

    /**
     * The reward stage's result.
     *
     * @param columns one column per objective, {@code columns[k][i]} = score of sample i
     */
    public RolloutBatch withRewards(List<Objective> newObjectives, float[][] columns, List<ScorerFault> newFaults) {
        if (columns.length != newObjectives.size()) {
            throw new IllegalArgumentException(
                    columns.length + " reward columns for " + newObjectives.size() + " objectives");
        }
        List<Sample> scored = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            float[] row = new float[columns.length];
            for (int k = 0; k < columns.length; k++) {
                if (columns[k].length != samples.size()) {
                    throw new IllegalArgumentException("reward column '" + newObjectives.get(k).name() + "' has "
                            + columns[k].length + " scores for " + samples.size() + " samples");
                }
                row[k] = columns[k][i];
            }
            scored.add(samples.get(i).withRewards(row));
        }
        return new RolloutBatch(runId, batchId, policyVersion, sampling, scored, newObjectives, newFaults, timings,
                createdUnixMillis);
    }

    /** The reference stage's result: {@code reference[i]} has one log-prob per response token of sample i. */
    public RolloutBatch withReferenceLogprobs(float[][] reference) {
        if (reference.length != samples.size()) {
            throw new IllegalArgumentException(reference.length + " reference rows for " + samples.size() + " samples");
        }
        List<Sample> out = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            out.add(samples.get(i).withReferenceLogprobs(reference[i]));
        }
        return new RolloutBatch(runId, batchId, policyVersion, sampling, out, objectives, faults, timings,
                createdUnixMillis);
    }

    public RolloutBatch withTiming(StageTiming timing) {
        List<StageTiming> more = new ArrayList<>(timings);
        more.add(timing);
        return new RolloutBatch(runId, batchId, policyVersion, sampling, samples, objectives, faults, more,
                createdUnixMillis);
    }

    /** Replaces the samples (e.g. DAPO's filter keeps a subset of groups). */
    public RolloutBatch withSamples(List<Sample> newSamples) {
        return new RolloutBatch(runId, batchId, policyVersion, sampling, newSamples, objectives, faults, timings,
                createdUnixMillis);
    }
}
