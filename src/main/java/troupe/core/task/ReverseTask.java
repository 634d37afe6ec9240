package troupe.core.task;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;
import troupe.core.reward.ScorerSpec;

/**
 * Reverse a word: prompt {@code "rev:abcd="}, answer {@code "dcba"}. Its two natural objectives
 * conflict: correctness needs the whole (long) reversal, brevity rewards stopping early, so the
 * weighting decides what the policy learns.
 *
 * <p>Verifier: 1 for the exact reversal; with {@code prefixCredit}, a proper non-empty prefix of
 * it scores |response|/|answer| (a truncated answer is partly right — the trade-off brevity
 * pulls on); anything else, including extra characters, scores 0.
 */
public final class ReverseTask extends SeededTask {

    public static final String NAME = "reverse";

    /**
     * Defaults in {@code troupe.tasks.reverse} (reference.conf).
     *
     * @param minLength shortest word, ≥ 1
     * @param maxLength longest word, ≥ minLength
     * @param alphabet letters words are drawn from, ≥ 2 distinct
     * @param prefixCredit partial credit for a correct prefix (off by default: with it, a policy
     *     that is often wrong learns to stop after a few safe letters, so correctness itself pushes
     *     towards brevity and the two objectives no longer conflict — seen in demo runs)
     * @param heldOutEvery one word in this many is held out, ≥ 2
     */
    public record Settings(int minLength, int maxLength, String alphabet, boolean prefixCredit, int heldOutEvery) {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("min-length", "max-length", "alphabet", "prefix-credit", "held-out-every"));
            int min = r.intIn("min-length", 1, Integer.MAX_VALUE);
            int max = r.intIn("max-length", min, Integer.MAX_VALUE);
            String alphabet = r.string("alphabet");
            if (alphabet.chars().distinct().count() < 2) {
                throw new SettingsException(r.key("alphabet"), "at least 2 distinct letters", alphabet);
            }
            return new Settings(min, max, alphabet, r.bool("prefix-credit"),
                    r.intIn("held-out-every", 2, Integer.MAX_VALUE));
        }
    }

    private final Settings settings;

    public ReverseTask(Settings settings) {
        super(NAME, settings.heldOutEvery());
        this.settings = settings;
    }

    @Override
    double score(String answer, String response) {
        if (response.equals(answer)) {
            return 1;
        }
        if (settings.prefixCredit() && !response.isEmpty() && answer.startsWith(response)) {
            return (double) response.length() / answer.length();
        }
        return 0;
    }

    @Override
    public List<ScorerSpec> defaultObjectives() {
        return List.of(ScorerSpec.of(TaskVerifierScorer.NAME, Map.of("objective", "correctness")),
                ScorerSpec.of("length", Map.of("objective", "brevity", "mode", "brevity", "unit", "chars")));
    }

    @Override
    Prompt problem(Random random) {
        int len = settings.minLength() + random.nextInt(settings.maxLength() - settings.minLength() + 1);
        StringBuilder word = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            word.append(settings.alphabet().charAt(random.nextInt(settings.alphabet().length())));
        }
        String w = word.toString();
        return new Prompt(w, NAME, "rev:" + w + "=", Map.of(Prompt.ANSWER, word.reverse().toString()));
    }
}
