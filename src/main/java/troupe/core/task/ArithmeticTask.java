package troupe.core.task;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import troupe.core.reward.ConfigKeys;

/**
 * Multi-digit addition and subtraction: prompt {@code "12+345="}, answer {@code "357"}. Operands
 * have {@code minDigits..maxDigits} digits (no leading zeros); subtraction puts the larger operand
 * first so answers are never negative. The verifier wants exactly the canonical decimal answer
 * (surrounding whitespace ignored): "0357" and "357 " + text are wrong.
 */
public final class ArithmeticTask implements Task {

    public static final String NAME = "arithmetic";

    /**
     * @param minDigits ≥ 1; default 1
     * @param maxDigits ≥ minDigits, ≤ 9; default 3 (answers up to 4 characters keep SFT fast on CPU)
     * @param operators characters from "+-"; default "+-"
     * @param heldOutEvery one problem in this many is held out, ≥ 2; default 10
     */
    public record Settings(int minDigits, int maxDigits, String operators, int heldOutEvery) {
        public Settings {
            if (minDigits < 1 || maxDigits < minDigits || maxDigits > 9) {
                throw new IllegalArgumentException("need 1 <= min-digits <= max-digits <= 9, got " + minDigits + ".."
                        + maxDigits);
            }
            if (operators.isEmpty() || !operators.chars().allMatch(c -> c == '+' || c == '-')) {
                throw new IllegalArgumentException("operators must be a non-empty subset of \"+-\", got '" + operators + "'");
            }
            if (heldOutEvery < 2) {
                throw new IllegalArgumentException("held-out-every must be >= 2, got " + heldOutEvery);
            }
        }

        public static Settings defaults() {
            return new Settings(1, 3, "+-", 10);
        }

        public static Settings fromConfig(Config c) {
            ConfigKeys.requireOnly(c, Set.of("min-digits", "max-digits", "operators", "held-out-every"), "arithmetic task");
            Settings d = defaults();
            return new Settings((int) ConfigKeys.number(c, "min-digits", d.minDigits()),
                    (int) ConfigKeys.number(c, "max-digits", d.maxDigits()),
                    ConfigKeys.string(c, "operators", d.operators()),
                    (int) ConfigKeys.number(c, "held-out-every", d.heldOutEvery()));
        }
    }

    private final Settings settings;

    public ArithmeticTask(Settings settings) {
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
        if (answer == null || response == null) {
            return 0;
        }
        return response.strip().equals(answer) ? 1 : 0;
    }

    @Override
    public List<ScorerSpec> defaultObjectives() {
        return List.of(new ScorerSpec(TaskVerifierScorer.NAME, Map.of("objective", "correctness")));
    }

    private Prompt problem(Random random) {
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
