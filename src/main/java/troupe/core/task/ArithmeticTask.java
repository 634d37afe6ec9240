package troupe.core.task;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;
import troupe.core.reward.ScorerSpec;

/**
 * Multi-digit addition and subtraction: prompt {@code "12+345="}, answer {@code "357"}. Operands
 * have {@code minDigits..maxDigits} digits (no leading zeros); subtraction puts the larger operand
 * first so answers are never negative. The verifier wants exactly the canonical decimal answer
 * (surrounding whitespace ignored): "0357" and "357 " + text are wrong.
 */
public final class ArithmeticTask extends SeededTask {

    public static final String NAME = "arithmetic";

    /**
     * Defaults in {@code troupe.tasks.arithmetic} (reference.conf).
     *
     * @param minDigits ≥ 1
     * @param maxDigits ≥ minDigits, ≤ 9
     * @param operators a non-empty subset of "+-"
     * @param heldOutEvery one problem in this many is held out, ≥ 2
     */
    public record Settings(int minDigits, int maxDigits, String operators, int heldOutEvery) {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("min-digits", "max-digits", "operators", "held-out-every"));
            int min = r.intIn("min-digits", 1, 9);
            int max = r.intIn("max-digits", min, 9);
            String operators = r.string("operators");
            if (operators.isEmpty() || !operators.chars().allMatch(c -> c == '+' || c == '-')) {
                throw new SettingsException(r.key("operators"), "a non-empty subset of \"+-\"", operators);
            }
            return new Settings(min, max, operators, r.intIn("held-out-every", 2, Integer.MAX_VALUE));
        }
    }

    private final Settings settings;

    public ArithmeticTask(Settings settings) {
        super(NAME, settings.heldOutEvery());
        this.settings = settings;
    }

    /** The canonical decimal answer exactly: 1, else 0. */
    @Override
    double score(String answer, String response) {
        return response.equals(answer) ? 1 : 0;
    }

    @Override
    public List<ScorerSpec> defaultObjectives() {
        return List.of(ScorerSpec.of(TaskVerifierScorer.NAME, Map.of("objective", "correctness")));
    }

    @Override
    Prompt problem(Random random) {
        long a = operand(random);
        long b = operand(random);
        char op = settings.operators().charAt(random.nextInt(settings.operators().length()));
        if (op == '-' && b > a) {
            long t = a;
            a = b;
            b = t;
        }
        long result = op == '+' ? a + b : a - b;
        String id = a + String.valueOf(op) + b;
        return new Prompt(id, NAME, id + "=", Map.of(Prompt.ANSWER, Long.toString(result)));
    }

    private long operand(Random random) {
        int digits = settings.minDigits() + random.nextInt(settings.maxDigits() - settings.minDigits() + 1);
        long low = digits == 1 ? 0 : pow10(digits - 1);
        return low + (long) (random.nextDouble() * (pow10(digits) - low));
    }

    private static long pow10(int e) {
        long p = 1;
        for (int i = 0; i < e; i++) {
            p *= 10;
        }
        return p;
    }
}
