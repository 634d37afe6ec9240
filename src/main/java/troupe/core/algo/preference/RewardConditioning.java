package troupe.core.algo.preference;

import java.util.List;
import java.util.Locale;

/**
 * Reward-augmented preference data (Zhang et al., arXiv 2410.08067; ALGORITHMS.md §10): a scored
 * pair (x, y_w, r_w, y_l, r_l) becomes two pairs conditioned on a target score,
 *
 * <pre>
 * (x ⊕ "target r_w", y_w ≻ y_l)   and   (x ⊕ "target r_l", y_l ≻ y_w)
 * </pre>
 *
 * so the policy learns what each score looks like instead of only "chosen beats rejected"; at
 * generation time the prompt is conditioned on the best score. The condition is rendered into
 * the prompt text by a template with the placeholders {@code {prompt}} and {@code {target}}; the
 * score is printed with a fixed number of decimals (Locale.ROOT), so equal scores render alike.
 *
 * <p>Example: template "{prompt} (target {target})", 1 decimal, pair rows (3 ≻ 5) with scores
 * 0.92 and 0.25 of prompt "abc" → ("abc (target 0.9)", 3 ≻ 5) and ("abc (target 0.3)", 5 ≻ 3).
 *
 * @param template contains {@code {prompt}} and {@code {target}} once each
 * @param decimals digits after the point, 0..6
 */
public record RewardConditioning(String template, int decimals) {

    public RewardConditioning {
        if (count(template, "{prompt}") != 1 || count(template, "{target}") != 1) {
            throw new IllegalArgumentException("template must hold {prompt} and {target} once each: " + template);
        }
        if (decimals < 0 || decimals > 6) {
            throw new IllegalArgumentException("decimals must lie in 0..6, got " + decimals);
        }
    }

    /** A pair of batch rows under a rendered target: chosen ≻ rejected given {@code prompt}. */
    public record ConditionedPair(String prompt, String target, int chosen, int rejected) {}

    /** The score as the template prints it. */
    public String format(double score) {
        return String.format(Locale.ROOT, "%." + decimals + "f", score);
    }

    /** {@code prompt} with the condition on {@code score} rendered in. */
    public String render(String prompt, double score) {
        return template.replace("{target}", format(score)).replace("{prompt}", prompt);
    }

    /** The two target-conditioned pairs of one scored pair (rows into the caller's batch). */
    public List<ConditionedPair> augment(String prompt, int chosen, double chosenScore, int rejected,
            double rejectedScore) {
        return List.of(new ConditionedPair(render(prompt, chosenScore), format(chosenScore), chosen, rejected),
                new ConditionedPair(render(prompt, rejectedScore), format(rejectedScore), rejected, chosen));
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
