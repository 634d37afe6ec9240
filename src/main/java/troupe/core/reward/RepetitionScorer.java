package troupe.core.reward;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import troupe.core.config.ConfigReader;

/**
 * n-gram repetition rate, minimised: 1 − distinct n-grams / total n-grams over the response
 * tokens (or characters); 0 when the response has fewer than n units. "abab" with n = 2 has
 * n-grams ab, ba, ab: rate 1 − 2/3 = 1/3.
 */
public final class RepetitionScorer extends PerSampleScorer {

    public enum Unit { TOKENS, CHARS }

    /**
     * Defaults in {@code troupe.rewards.defaults.repetition} (reference.conf).
     *
     * @param objective objective name
     * @param n n-gram order, ≥ 1
     * @param unit TOKENS or CHARS
     */
    public record Settings(String objective, int n, Unit unit) {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("objective", "n", "unit"));
            return new Settings(r.string("objective"), r.intIn("n", 1, Integer.MAX_VALUE), r.enumOf("unit", Unit.class));
        }
    }

    private final Settings settings;

    public RepetitionScorer(Settings settings) {
        super(new Objective(settings.objective(), Direction.MINIMIZE, "fraction of repeated " + settings.n() + "-grams"));
        this.settings = settings;
    }

    @Override
    protected double scoreOne(ScoreInput in) {
        int[] units = settings.unit() == Unit.TOKENS ? in.responseTokens() : in.responseText().codePoints().toArray();
        return repetitionRate(units, settings.n());
    }

    /** 1 − distinct/total over the n-grams of {@code units}; 0 when there are none. */
    public static double repetitionRate(int[] units, int n) {
        int total = units.length - n + 1;
        if (total <= 0) {
            return 0;
        }
        Set<List<Integer>> seen = new HashSet<>();
        for (int s = 0; s < total; s++) {
            Integer[] gram = new Integer[n];
            for (int j = 0; j < n; j++) {
                gram[j] = units[s + j];
            }
            seen.add(List.of(gram));
        }
        return 1.0 - (double) seen.size() / total;
    }

    /** Registry entry {@code "repetition"}. */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return "repetition";
        }

        @Override
        public RewardScorer create(ConfigReader block) {
            return new RepetitionScorer(Settings.fromConfig(block));
        }
    }
}
