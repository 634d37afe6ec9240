package troupe.core.algo.dapo;

import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates prompt groups across generation rounds until a training batch holds
 * {@code targetGroups} groups with reward variance (DAPO dynamic sampling; verl
 * {@code filter_groups} with {@code max_num_gen_batches}). Zero-variance groups are counted and
 * discarded; once full, further groups are refused. Not thread-safe: one owner (the learner).
 *
 * @param <G> the caller's group type (e.g. a slice of a rollout batch)
 */
public final class GroupBatchFiller<G> {

    private final int targetGroups;
    private final List<G> kept = new ArrayList<>();
    private int dropped;

    /** @param targetGroups prompt groups per training batch, > 0 */
    public GroupBatchFiller(int targetGroups) {
        if (targetGroups <= 0) {
            throw new IllegalArgumentException("targetGroups must be positive, got " + targetGroups);
        }
        this.targetGroups = targetGroups;
    }

    /**
     * Offers one group with its rewards.
     *
     * @return true if the group was kept; false if it had zero variance or the batch is full
     */
    public boolean offer(G group, double[] rewards) {
        return offer(group, new double[][] {rewards});
    }

    /**
     * Offers one group scored on several objectives ({@code rewards[k][i]}: objective k, sample i):
     * it carries signal when any objective's scores differ within it.
     *
     * @return true if the group was kept; false if no objective varied or the batch is full
     */
    public boolean offer(G group, double[][] rewards) {
        if (isFull()) {
            return false;
        }
        if (!DynamicSampling.hasVariance(rewards)) {
            dropped++;
            return false;
        }
        kept.add(group);
        return true;
    }

    /** True once {@code targetGroups} groups are kept: stop generating and train. */
    public boolean isFull() {
        return kept.size() >= targetGroups;
    }

    /** Groups kept so far. */
    public int keptCount() {
        return kept.size();
    }

    /** Zero-variance groups discarded so far (a metric: high means prompts are too easy/hard). */
    public int droppedCount() {
        return dropped;
    }

    /** Hands out the kept groups and resets the filler for the next batch. */
    public List<G> drain() {
        List<G> out = List.copyOf(kept);
        kept.clear();
        dropped = 0;
        return out;
    }
}
