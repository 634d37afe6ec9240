package troupe.core.reward.rules;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure extractors the reward rules share: the last number of a text, the content of its last
 * {@code \boxed{...}} and the last fenced code block. Each takes any text and never throws.
 */
public final class Extract {

    /**
     * A decimal number: optional sign, digits with optional thousands commas ("1,234"), optional
     * fraction and exponent. The exponent is capped at 3 digits so a canonical form stays short.
     */
    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\w.])[-+]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:[eE][-+]?\\d{1,3}(?!\\d))?|(?<![\\w.])[-+]?\\.\\d+");
    private static final String BOXED = "\\boxed{";
    private static final Pattern FENCE = Pattern.compile("```([A-Za-z0-9_+-]*)[^\\n]*\\n(.*?)```", Pattern.DOTALL);

    private Extract() {
    }

    /** How a rule reads its answer out of the response (and the reference out of its field). */
    public enum Mode {
        /** The whole text. */
        NONE,
        /** The content of the last {@code \boxed{...}}. */
        BOXED,
        /** The last number, in canonical form ({@link #canonicalNumber}). */
        LAST_NUMBER;

        /** The answer in {@code text} under this mode, empty when there is none. */
        public Optional<String> apply(String text) {
            return switch (this) {
                case NONE -> Optional.of(text);
                case BOXED -> boxed(text);
                case LAST_NUMBER -> lastNumber(text);
            };
        }

        /** What a response lacks when {@link #apply} finds nothing: the outcome it reports. */
        public String absent() {
            return this == BOXED ? "no \\boxed{}" : "no number";
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The last number of {@code text} in canonical form: commas and a leading '+' dropped,
     * trailing fraction zeros removed ("1,200.50" → "1200.5", "42.0" → "42", "-0" → "0").
     */
    public static Optional<String> lastNumber(String text) {
        Matcher m = NUMBER.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last == null ? Optional.empty() : canonicalNumber(last);
    }

    /** {@code text} as a canonical number string, or empty when it is not one number. */
    public static Optional<String> canonicalNumber(String text) {
        String t = text.strip().replace(",", "");
        if (t.startsWith("+")) {
            t = t.substring(1);
        }
        try {
            BigDecimal d = new BigDecimal(t);
            return Optional.of(d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString());
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** The last number of {@code text} as a double (±∞ when it overflows), empty when there is none. */
    public static Optional<Double> lastNumberValue(String text) {
        return lastNumber(text).map(Double::parseDouble);
    }

    /**
     * The content of the last {@code \boxed{...}} whose braces balance, nested braces included
     * ({@code \boxed{\frac{1}{2}}} → {@code \frac{1}{2}}); an unclosed one is skipped for the one
     * before it. Backslash-escaped braces ({@code \{}) do not count.
     */
    public static Optional<String> boxed(String text) {
        int from = text.length();
        while (from >= 0) {
            int start = text.lastIndexOf(BOXED, from);
            if (start < 0) {
                return Optional.empty();
            }
            int open = start + BOXED.length();
            int close = closingBrace(text, open);
            if (close >= 0) {
                return Optional.of(text.substring(open, close));
            }
            from = start - 1;
        }
        return Optional.empty();
    }

    /** Index of the '}' closing a '{' just before {@code open}, or −1 when it never closes. */
    private static int closingBrace(String text, int open) {
        int depth = 1;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++; // an escaped character, e.g. \{ or \}
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The content of the last fenced block ({@code ```lang ... ```}) whose language tag is
     * {@code language} or empty, or empty when there is none.
     */
    public static Optional<String> lastFence(String text, String language) {
        Matcher m = FENCE.matcher(text);
        String last = null;
        while (m.find()) {
            if (m.group(1).isEmpty() || m.group(1).equalsIgnoreCase(language)) {
                last = m.group(2);
            }
        }
        return Optional.ofNullable(last);
    }
}
