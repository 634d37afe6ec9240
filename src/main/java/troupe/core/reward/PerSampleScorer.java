package troupe.core.reward;

import java.util.List;

/** A scorer whose score of a sample depends on that sample alone: the batch loop, written once. */
public abstract class PerSampleScorer implements RewardScorer {
    private final Objective objective;

    protected PerSampleScorer(Objective objective) {
        this.objective = objective;
    }

    /** One sample's score in the objective's units. */
    protected abstract double scoreOne(ScoreInput in);

    @Override
    public final Objective objective() {
        return objective;
    }

    @Override
    public final float[] score(List<ScoreInput> batch) {
        float[] out = new float[batch.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) scoreOne(batch.get(i));
        }
        return out;
    }
}
