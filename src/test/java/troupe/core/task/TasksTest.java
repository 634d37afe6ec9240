package troupe.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import troupe.core.config.SettingsException;
import troupe.core.reward.Direction;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.ScorerRegistry;

class TasksTest {

    private final Task arithmetic = TaskRegistry.get("arithmetic");
    private final Task reverse = TaskRegistry.get("reverse");

    @Test
    void promptsAreDeterministicPerSeed() {
        for (Task t : List.of(arithmetic, reverse)) {
            assertEquals(t.trainPrompts(42, 50), t.trainPrompts(42, 50));
            assertEquals(t.heldOutPrompts(42, 20), t.heldOutPrompts(42, 20));
            assertNotEquals(t.trainPrompts(42, 50), t.trainPrompts(43, 50));
        }
    }

    @Test
    void heldOutNeverAppearsInTraining() {
        for (Task t : List.of(arithmetic, reverse)) {
            Set<String> train = t.trainPrompts(1, 3000).stream().map(Prompt::id).collect(Collectors.toSet());
            Set<String> held = new HashSet<>();
            for (long seed = 0; seed < 5; seed++) {
                t.heldOutPrompts(seed, 100).forEach(p -> held.add(p.id()));
            }
            assertTrue(held.size() > 50, t.name() + " held-out set is not trivial");
            held.retainAll(train);
            assertEquals(Set.of(), held, t.name());
        }
    }

    @Test
    void arithmeticPromptLooksLikeAnEquationWithItsAnswer() {
        for (Prompt p : arithmetic.trainPrompts(5, 200)) {
            assertTrue(p.text().matches("\\d{1,3}[+-]\\d{1,3}="), p.text());
            String[] parts = p.id().split("(?=[+-])|(?<=[+-])");
            long a = Long.parseLong(parts[0]);
            long b = Long.parseLong(parts[2]);
            long expected = parts[1].equals("+") ? a + b : a - b;
            assertEquals(Long.toString(expected), p.answer());
            assertTrue(expected >= 0);
            assertEquals(1.0, arithmetic.verify(p.metadata(), p.answer()));
        }
    }

    @Test
    void arithmeticVerifierOnRightWrongAndMalformed() {
        Map<String, String> m = Map.of(Prompt.ANSWER, "357");
        assertEquals(1.0, arithmetic.verify(m, "357"));
        assertEquals(1.0, arithmetic.verify(m, " 357\n"));
        assertEquals(0.0, arithmetic.verify(m, "356"));
        assertEquals(0.0, arithmetic.verify(m, "0357"), "non-canonical");
        assertEquals(0.0, arithmetic.verify(m, "35 7"));
        assertEquals(0.0, arithmetic.verify(m, "abc"));
        assertEquals(0.0, arithmetic.verify(m, ""));
        assertEquals(0.0, arithmetic.verify(Map.of(), "357"), "no answer in metadata");
    }

    @Test
    void reverseVerifierIsExactByDefaultAndGivesPrefixCreditWhenAsked() {
        Map<String, String> m = Map.of(Prompt.ANSWER, "dcba");
        assertEquals(1.0, reverse.verify(m, "dcba"));
        assertEquals(0.0, reverse.verify(m, "dc"), "exact by default");
        Task lenient = TaskRegistry.create("reverse", ConfigFactory.parseMap(Map.of("prefix-credit", true)));
        assertEquals(0.5, lenient.verify(m, "dc"));
        assertEquals(0.0, lenient.verify(m, "abcd"));
        assertEquals(0.0, lenient.verify(m, "dcbax"), "extra characters");
        assertEquals(0.0, lenient.verify(m, ""));
        Prompt p = reverse.trainPrompts(9, 1).get(0);
        assertEquals("rev:" + p.id() + "=", p.text());
        assertEquals(new StringBuilder(p.id()).reverse().toString(), p.answer());
    }

    @Test
    void everyTaskBuildsFromItsReferenceBlock() {
        assertEquals(List.of("arithmetic", "reverse"), TaskRegistry.names());
        for (String name : TaskRegistry.names()) {
            assertEquals(name, TaskRegistry.get(name).name());
        }
    }

    @Test
    void taskSettingsComeFromTheRunsBlockWithReferenceDefaults() {
        var run = ConfigFactory.parseString("troupe.tasks.arithmetic { max-digits = 1, operators = \"+\" }");
        Task small = TaskRegistry.fromRun(run, "arithmetic");
        for (Prompt p : small.trainPrompts(5, 20)) {
            assertTrue(p.text().matches("\\d\\+\\d="), p.text());
        }
        assertEquals(arithmetic.trainPrompts(5, 20), TaskRegistry.fromRun(ConfigFactory.empty(), "arithmetic")
                .trainPrompts(5, 20), "no block: the reference defaults");
        var e = assertThrows(SettingsException.class,
                () -> TaskRegistry.fromRun(ConfigFactory.parseString("troupe.tasks.reverse.alphabet = a"), "reverse"));
        assertTrue(e.getMessage().contains("troupe.tasks.reverse.alphabet"), e.getMessage());
        var range = assertThrows(SettingsException.class,
                () -> TaskRegistry.create("arithmetic", ConfigFactory.parseMap(Map.of("min-digits", 3, "max-digits", 2))));
        assertTrue(range.getMessage().contains("troupe.tasks.arithmetic.max-digits"), range.getMessage());
    }

    @Test
    void theVerifierChecksAnswersWithTheRunsTaskSettings() {
        var run = ConfigFactory.parseString("troupe.tasks.reverse.prefix-credit = true")
                .withFallback(ConfigFactory.defaultReference());
        RewardScorer lenient = ScorerRegistry.fromClasspath().withDefaultsOf(run).create(TaskVerifierScorer.NAME,
                ConfigFactory.empty());
        RewardScorer exact = ScorerRegistry.fromClasspath().create(TaskVerifierScorer.NAME, ConfigFactory.empty());
        var prefix = new ScoreInput("q", "dc", new int[0], new int[0], ReverseTask.NAME,
                Map.of(Prompt.ANSWER, "dcba"), false);
        assertEquals(0.5f, lenient.score(List.of(prefix))[0]);
        assertEquals(0f, exact.score(List.of(prefix))[0]);
    }

    @Test
    void sftExamplesCompleteTrainingPromptsWithTheAnswer() {
        List<SftExample> sft = arithmetic.sftExamples(3, 10);
        List<Prompt> prompts = arithmetic.trainPrompts(3, 10);
        for (int i = 0; i < 10; i++) {
            assertEquals(prompts.get(i).text(), sft.get(i).prompt());
            assertEquals(prompts.get(i).answer(), sft.get(i).completion());
        }
    }

    @Test
    void defaultObjectivesBuildFromTheScorerRegistry() {
        ScorerRegistry registry = ScorerRegistry.fromClasspath();
        List<RewardScorer> rev = registry.createAll(reverse.defaultObjectives());
        assertEquals(List.of("correctness", "brevity"), rev.stream().map(s -> s.objective().name()).toList());
        assertEquals(Direction.MINIMIZE, rev.get(1).objective().direction());
        List<RewardScorer> ar = registry.createAll(arithmetic.defaultObjectives());
        assertEquals(List.of("correctness"), ar.stream().map(s -> s.objective().name()).toList());

        Prompt p = arithmetic.trainPrompts(1, 1).get(0);
        var right = new ScoreInput(p.text(), p.answer(), new int[0], new int[0], p.task(), p.metadata(), false);
        var wrong = new ScoreInput(p.text(), p.answer() + "1", new int[0], new int[0], p.task(), p.metadata(), false);
        assertEquals(List.of(1f, 0f), List.of(ar.get(0).score(List.of(right, wrong))[0], ar.get(0).score(List.of(right, wrong))[1]));
    }

    @Test
    void verifierOnUnknownTaskThrowsSoTheStageReportsAFault() {
        var in = new ScoreInput("q", "a", new int[0], new int[0], "chess", Map.of(), false);
        assertThrows(IllegalArgumentException.class, () -> new TaskVerifierScorer("correctness").score(List.of(in)));
        var e = assertThrows(IllegalArgumentException.class, () -> TaskRegistry.get("chess"));
        assertTrue(e.getMessage().contains("arithmetic") && e.getMessage().contains("reverse"));
    }
}
