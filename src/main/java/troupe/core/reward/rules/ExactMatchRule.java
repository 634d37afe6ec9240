package troupe.core.reward.rules;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.RewardScorerFactory;
import troupe.core.reward.ScoreInput;

/**
 * {@code exact-match}: 1 when the response's answer equals the reference in a dataset field, else
 * 0. The answer is the whole response, the last {@code \boxed{}} or the last number
 * ({@link Extract.Mode}); the reference goes through the same extraction when it can (a
 * GSM8K-style "… #### 72" gives 72), then both are trimmed and case-folded as configured.
 */
public final class ExactMatchRule extends RuleScorer {

    public static final String NAME = "exact-match";

    /**
     * Defaults in {@code troupe.rewards.defaults.exact-match} (reference.conf).
     *
     * @param objective objective name
     * @param field dataset field holding the reference
     * @param extract which part of the response is the answer
     * @param trim strip leading/trailing whitespace of both sides
     * @param caseInsensitive compare ignoring case (Locale.ROOT)
     */
    public record Settings(String objective, String field, Extract.Mode extract, boolean trim, boolean caseInsensitive) {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("objective", "field", "extract", "trim", "case-insensitive"));
            return new Settings(Rules.objective(r), Rules.field(r), r.enumOf("extract", Extract.Mode.class),
                    r.bool("trim"), r.bool("case-insensitive"));
        }
    }

    private final Settings settings;

    public ExactMatchRule(Settings settings) {
        super(new Objective(settings.objective(), Direction.MAXIMIZE,
                "1 when the " + settings.extract() + " answer equals field " + settings.field()));
        this.settings = settings;
    }

    @Override
    protected Explained explainOne(ScoreInput in) {
        Optional<String> reference = field(in, settings.field());
        if (reference.isEmpty()) {
            return missingField(settings.field());
        }
        Optional<String> answer = settings.extract().apply(in.responseText());
        if (answer.isEmpty()) {
            return fail(settings.extract().absent());
        }
        String expected = normal(settings.extract().apply(reference.get()).orElse(reference.get()));
        return normal(answer.get()).equals(expected) ? pass("match") : fail("no match");
    }

    private String normal(String s) {
        String t = settings.trim() ? s.strip() : s;
        return settings.caseInsensitive() ? t.toLowerCase(Locale.ROOT) : t;
    }

    /** Registry entry {@code "exact-match"}. */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public RewardScorer create(ConfigReader block) {
            return new ExactMatchRule(Settings.fromConfig(block));
        }
    }
}
