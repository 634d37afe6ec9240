package troupe.core.reward.rules;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import troupe.core.fuzz.Rejections;
import troupe.core.reward.ExplainedScorer;
import troupe.core.reward.ExplainedScorer.Explained;
import troupe.core.reward.ScoreInput;

/**
 * Fuzz target: the answer extractors (last number, last {@code \boxed{}}, fences) and the rules
 * built on them, over any response and reference (split at the first NUL). They never throw, a
 * canonical number parses back, a boxed answer is a substring of the response, and every rule
 * scores within [0, 1] with an outcome. Seeds in ExtractFuzzTestInputs/.
 */
class ExtractFuzzTest {
    private static final List<ExplainedScorer> RULES = List.of(
            RuleTesting.rule("exact-match", Map.of("extract", "boxed")),
            RuleTesting.rule("exact-match", Map.of("extract", "last-number", "case-insensitive", true)),
            RuleTesting.rule("numeric", Map.of("source", "boxed", "rel-tol", 0.01)),
            RuleTesting.rule("numeric", Map.of()),
            RuleTesting.rule("json", Map.of("keys", List.of("a", "b"), "score", "fraction")),
            RuleTesting.rule("regex", Map.of("pattern", "answer: (\\w+)", "capture", 1, "field", "answer")));

    @FuzzTest(maxDuration = Rejections.CEILING)
    void extractsWithoutThrowing(byte[] data) {
        String all = new String(data, StandardCharsets.UTF_8);
        int nul = all.indexOf('\0');
        String response = nul < 0 ? all : all.substring(0, nul);
        String reference = nul < 0 ? "" : all.substring(nul + 1);
        Extract.lastNumber(response).ifPresent(n -> {
            if (!new BigDecimal(n).stripTrailingZeros().toPlainString().equals(n) && !n.equals("0")) {
                throw new AssertionError("not canonical: " + n);
            }
        });
        Optional<String> boxed = Extract.boxed(response);
        if (boxed.isPresent() && !response.contains("\\boxed{" + boxed.get() + "}")) {
            throw new AssertionError("boxed answer not in the response: " + boxed.get());
        }
        Extract.lastFence(response, "json");
        ScoreInput in = new ScoreInput("q", response, new int[0], new int[0], "", Map.of("answer", reference), false);
        for (ExplainedScorer rule : RULES) {
            Explained e = rule.explain(List.of(in)).get(0);
            if (!(e.score() >= 0 && e.score() <= 1) || e.outcome() == null || e.outcome().isEmpty()) {
                throw new AssertionError(rule.objective().name() + " gave " + e);
            }
        }
    }
}
