package troupe.core.reward.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import troupe.core.reward.ExplainedScorer;
import troupe.core.reward.Objective;
import troupe.core.reward.ScoreInput;

/**
 * A reward rule: a per-sample scorer that says why each sample got its score. A dataset field the
 * rule needs but the sample lacks is that sample's outcome ("missing field answer", score 0), not
 * a scorer fault: one incomplete line must not quarantine the rule for the whole run.
 */
public abstract class RuleScorer implements ExplainedScorer {
    private final Objective objective;

    protected RuleScorer(Objective objective) {
        this.objective = objective;
    }

    /** One sample's score and reason. */
    protected abstract Explained explainOne(ScoreInput in);

    @Override
    public final Objective objective() {
        return objective;
    }

    @Override
    public final List<Explained> explain(List<ScoreInput> batch) {
        List<Explained> out = new ArrayList<>(batch.size());
        for (ScoreInput in : batch) {
            out.add(explainOne(in));
        }
        return out;
    }

    /** The sample's dataset field {@code name}, empty when the line had none. */
    protected static Optional<String> field(ScoreInput in, String name) {
        return Optional.ofNullable(in.metadata().get(name));
    }

    protected static Explained missingField(String name) {
        return new Explained(0f, "missing field " + name);
    }

    protected static Explained pass(String outcome) {
        return new Explained(1f, outcome);
    }

    protected static Explained fail(String outcome) {
        return new Explained(0f, outcome);
    }

    /** {@code text} cut to {@code max} characters with an ellipsis, for outcomes that quote it. */
    static String shortened(String text, int max) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "…";
    }
}
