package troupe.core.rl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import troupe.core.algo.dapo.DynamicSamplingSettings;
import troupe.core.algo.dapo.GroupBatchFiller;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.reward.ScorerFault;

/**
 * DAPO dynamic sampling across rollout batches (ALGORITHMS.md §4; verl {@code filter_groups} with
 * {@code max_num_gen_batches}): each offered batch's prompt groups go through a
 * {@link GroupBatchFiller}, which drops groups whose scores are all equal; once
 * {@code targetGroups} groups are kept the step is ready, as one batch made of them (group ids
 * renumbered, since ids repeat across batches). Groups beyond the target are discarded, as in
 * verl. At the cap of generation batches the step is ready with what it has; with nothing kept it
 * is the last batch as it came (every group zero-advantage: the step still moves the KL terms).
 *
 * <p>Objectives must match across the parts of a step: a batch whose objective columns differ
 * from the held ones (a scorer joined, left or faulted) starts the step over, the held groups
 * counted as dropped. Pure state, no I/O; owned by one learner, not thread-safe.
 */
public final class DynamicSampler {

    /** One rollout batch that went into a step: how many of its groups were kept. */
    public record Part(long batchId, long policyVersion, int groupsKept, int groups) {}

    /**
     * @param parts every batch drawn for the step, in arrival order; the last one completed it
     * @param groupsKept groups trained on (≤ target); 0 with {@code capReached} = the last batch as it came
     * @param groupsDropped zero-variance groups discarded (plus groups held when objectives changed)
     * @param capReached the step trained before it was full because max-num-gen-batches was reached
     */
    public record Stats(List<Part> parts, int groupsKept, int groupsDropped, int groupsTarget, boolean capReached) {
        public Stats {
            parts = List.copyOf(parts);
        }
    }

    /** What became of an offered batch. */
    public sealed interface Outcome {}

    /** Absorbed; the step needs more batches. */
    public record Waiting(Part part, int groupsKept, int groupsTarget) implements Outcome {}

    /** The step is complete: train on {@code batch}. */
    public record Ready(RolloutBatch batch, Stats stats) implements Outcome {}

    private final DynamicSamplingSettings settings;
    private final int targetGroups;
    private GroupBatchFiller<List<Sample>> filler;
    private final List<Part> parts = new ArrayList<>();
    private final List<ScorerFault> faults = new ArrayList<>();
    private List<troupe.core.reward.Objective> objectives;
    private long minVersion = Long.MAX_VALUE;
    private int droppedBefore;

    /** @param targetGroups prompt groups per step (the pipeline's prompts-per-step), > 0 */
    public DynamicSampler(DynamicSamplingSettings settings, int targetGroups) {
        this.settings = settings;
        this.targetGroups = targetGroups;
        this.filler = new GroupBatchFiller<>(targetGroups);
    }

    /** Batches absorbed into the step being assembled, not yet trained. */
    public List<Part> pending() {
        return List.copyOf(parts);
    }

    /** Offers one scored, referenced batch. */
    public Outcome offer(RolloutBatch batch) {
        if (objectives != null && !objectives.equals(batch.objectives())) {
            droppedBefore += filler.keptCount() + filler.droppedCount();
            filler.drain();
            faults.clear();
        }
        objectives = batch.objectives();
        int column = column(batch);
        int keptBefore = filler.keptCount();
        Map<Long, List<Sample>> groups = new LinkedHashMap<>();
        for (Sample s : batch.samples()) {
            groups.computeIfAbsent(s.groupId(), g -> new ArrayList<>()).add(s);
        }
        for (List<Sample> g : groups.values()) {
            filler.offer(g, scores(g, column));
        }
        Part part = new Part(batch.batchId(), batch.policyVersion(), filler.keptCount() - keptBefore, groups.size());
        parts.add(part);
        faults.addAll(batch.faults());
        minVersion = Math.min(minVersion, batch.policyVersion());
        boolean cap = !filler.isFull() && settings.maxGenerationBatches() > 0
                && parts.size() >= settings.maxGenerationBatches();
        if (!filler.isFull() && !cap) {
            return new Waiting(part, filler.keptCount(), targetGroups);
        }
        int dropped = filler.droppedCount() + droppedBefore;
        List<List<Sample>> kept = filler.drain();
        RolloutBatch merged = kept.isEmpty() ? batch : merge(batch, kept);
        Ready ready = new Ready(merged, new Stats(parts, kept.size(), dropped, targetGroups, cap));
        parts.clear();
        faults.clear();
        objectives = null;
        minVersion = Long.MAX_VALUE;
        droppedBefore = 0;
        return ready;
    }

    /** Index of the configured objective in the batch, or −1 for the whole reward vector. */
    private int column(RolloutBatch batch) {
        if (settings.objective().isEmpty()) {
            return -1;
        }
        for (int k = 0; k < batch.objectives().size(); k++) {
            if (batch.objectives().get(k).name().equals(settings.objective())) {
                return k;
            }
        }
        throw new IllegalArgumentException("troupe.learner.dynamic-sampling.objective: batch " + batch.batchId()
                + " has no objective '" + settings.objective() + "' (it has " + batch.objectives() + ")");
    }

    /** [objectives][samples] scores of one group: one column, or every column. */
    private static double[][] scores(List<Sample> group, int column) {
        int k = group.get(0).rewards().length;
        int[] columns = column >= 0 ? new int[] {column} : java.util.stream.IntStream.range(0, k).toArray();
        double[][] out = new double[columns.length][group.size()];
        for (int c = 0; c < columns.length; c++) {
            for (int i = 0; i < group.size(); i++) {
                out[c][i] = group.get(i).rewards()[columns[c]];
            }
        }
        return out;
    }

    /** The kept groups as one batch: the completing batch's identity, the oldest part's version. */
    private RolloutBatch merge(RolloutBatch last, List<List<Sample>> kept) {
        List<Sample> samples = new ArrayList<>();
        long id = 0;
        for (List<Sample> g : kept) {
            for (Sample s : g) {
                samples.add(s.withGroupId(id));
            }
            id++;
        }
        return new RolloutBatch(last.runId(), last.batchId(), minVersion, last.sampling(), samples, last.objectives(),
                faults.stream().distinct().toList(), last.timings(), last.createdUnixMillis());
    }
}
