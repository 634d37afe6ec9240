package troupe.core.reward;

import com.typesafe.config.Config;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * n-gram repetition rate, minimised: 1 − distinct n-grams / total n-grams over the response
 * tokens (or characters); 0 when the response has fewer than n units. "abab" with n = 2 has
 * n-grams ab, ba, ab: rate 1 − 2/3 = 1/3.
 */
public final class RepetitionScorer implements RewardScorer {

    public enum Unit { TOKENS, CHARS }

    /**
     * @param objective objective name; default "repetition"
     * @param n n-gram order, ≥ 1; default 3
     * @param unit default TOKENS
     */
    public record Settings(String objective, int n, Unit unit) {
        public Settings {
            if (n < 1) {
                throw new IllegalArgumentException("n-gram order must be >= 1, got " + n);
            }
        }

        public static Settings defaults() {
            return new Settings("repetition", 3, Unit.TOKENS);
        }

        public static Settings fromConfig(Config c) {
            ConfigKeys.requireOnly(c, Set.of("objective", "n", "unit"), "repetition scorer");
            Settings d = defaults();
            return new Settings(ConfigKeys.string(c, "objective", d.objective()), (int) ConfigKeys.number(c, "n", d.n()),
                    ConfigKeys.enumValue(c, "unit", Unit.class, d.unit()));
        }
    }

    private final Settings settings;
    private final Objective objective;

    public RepetitionScorer(Settings settings) {
        this.settings = settings;
        this.objective = new Objective(settings.objective(), Direction.MINIMIZE,
                "fraction of repeated " + settings.n() + "-grams");
    }

    @Override
    public Objective objective() {
        return objective;
    }

    @Override
    public float[] score(List<ScoreInput> batch) {
        float[] out = new float[batch.size()];
        for (int i = 0; i < out.length; i++) {
            ScoreInput in = batch.get(i);
            int[] units = settings.unit() == Unit.TOKENS ? in.responseTokens() : in.responseText().codePoints().toArray();
            out[i] = (float) repetitionRate(units, settings.n());
        }
        return out;
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
        public RewardScorer create(Config config) {
            return new RepetitionScorer(Settings.fromConfig(config));
        }
    }
}
