package troupe.core.task;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import troupe.core.reward.ConfigKeys;

/**
 * Reverse a word: prompt {@code "rev:abcd="}, answer {@code "dcba"}. Its two natural objectives
 * conflict: correctness needs the whole (long) reversal, brevity rewards stopping early, so the
 * weighting decides what the policy learns.
 *
 * <p>Verifier: 1 for the exact reversal; with {@code prefixCredit}, a proper non-empty prefix of
 * it scores |response|/|answer| (a truncated answer is partly right — the trade-off brevity
 * pulls on); anything else, including extra characters, scores 0.
 */
public final class ReverseTask implements Task {

    public static final String NAME = "reverse";

    /**
     * @param minLength shortest word, ≥ 1; default 3
     * @param maxLength longest word, ≥ minLength; default 8
     * @param alphabet letters words are drawn from, ≥ 2 distinct; default "abcdefghij"
     * @param prefixCredit partial credit for a correct prefix; default false — with it, a policy
     *     that is often wrong learns to stop after a few safe letters, so correctness itself pushes
     *     towards brevity and the two objectives no longer conflict (seen in demo runs)
     * @param heldOutEvery one word in this many is held out, ≥ 2; default 10
     */
    public record Settings(int minLength, int maxLength, String alphabet, boolean prefixCredit, int heldOutEvery) {
        public Settings {
            if (minLength < 1 || maxLength < minLength) {
                throw new IllegalArgumentException("need 1 <= min-length <= max-length, got " + minLength + ".." + maxLength);
            }
            if (alphabet.chars().distinct().count() < 2) {
                throw new IllegalArgumentException("alphabet needs at least 2 distinct letters, got '" + alphabet + "'");
            }
            if (heldOutEvery < 2) {
                throw new IllegalArgumentException("held-out-every must be >= 2, got " + heldOutEvery);
            }
        }

        public static Settings defaults() {
            return new Settings(3, 8, "abcdefghij", false, 10);
        }

        public static Settings fromConfig(Config c) {
            ConfigKeys.requireOnly(c, Set.of("min-length", "max-length", "alphabet", "prefix-credit", "held-out-every"),
                    "reverse task");
            Settings d = defaults();
            return new Settings((int) ConfigKeys.number(c, "min-length", d.minLength()),
                    (int) ConfigKeys.number(c, "max-length", d.maxLength()),
                    ConfigKeys.string(c, "alphabet", d.alphabet()),
                    ConfigKeys.bool(c, "prefix-credit", d.prefixCredit()),
                    (int) ConfigKeys.number(c, "held-out-every", d.heldOutEvery()));
        }
    }

    private final Settings settings;

    public ReverseTask(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Prompt> trainPrompts(long seed, int count) {
        return ProblemStream.draw(seed, count, false, settings.heldOutEvery(), this::problem);
    }

    @Override
    public List<Prompt> heldOutPrompts(long seed, int count) {
        return ProblemStream.draw(seed, count, true, settings.heldOutEvery(), this::problem);
    }

    @Override
    public double verify(Map<String, String> metadata, String response) {
        String answer = metadata.get(Prompt.ANSWER);
        if (answer == null || answer.isEmpty() || response == null) {
            return 0;
        }
        String r = response.strip();
        if (r.equals(answer)) {
            return 1;
        }
        if (settings.prefixCredit() && !r.isEmpty() && answer.startsWith(r)) {
            return (double) r.length() / answer.length();
        }
        return 0;
    }

    @Override
    public List<ScorerSpec> defaultObjectives() {
        return List.of(new ScorerSpec(TaskVerifierScorer.NAME, Map.of("objective", "correctness")),
                new ScorerSpec("length", Map.of("objective", "brevity", "mode", "brevity", "unit", "chars")));
    }

    private Prompt problem(Random random) {
        int len = settings.minLength() + random.nextInt(settings.maxLength() - settings.minLength() + 1);
        StringBuilder word = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            word.append(settings.alphabet().charAt(random.nextInt(settings.alphabet().length())));
        }
        String w = word.toString();
        return new Prompt(w, NAME, "rev:" + w + "=", Map.of(Prompt.ANSWER, word.reverse().toString()));
    }
}
