package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.proto.v1.LearnerEvent;

/** `troupe run --data` end to end on a tiny random model: a JSONL file, declared rewards, the held-out table. */
class DataRunTest {
    private static final String CONFIG = """
            troupe.pipeline { prompts-per-step = 2, group-size = 4 }
            troupe.sampling.max-new-tokens = 6
            troupe.run { heldout-prompts = 50, eval-fraction = 0.25 }
            troupe.learner.micro-batch = 8
            troupe.checkpoint.every-n-steps = 0
            troupe.rewards.scorers = [
              { scorer = "length" }
              { scorer = "troupe.cli.AnswerRecordingScorer" }
            ]
            """;

    @TempDir
    Path dir;

    private Path data() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            text.append("{\"prompt\": \"").append(i).append("+1=\", \"answer\": \"").append(i + 1)
                    .append("\", \"tests\": [\"assert f(").append(i).append(")\"], \"level\": ").append(i % 3)
                    .append("}\n");
        }
        return Files.writeString(dir.resolve("train.jsonl"), text);
    }

    private CliRunner run(String id, int steps, String... more) throws IOException {
        return runWith("", id, steps, more);
    }

    private CliRunner runWith(String extraConfig, String id, int steps, String... more) throws IOException {
        Path model = dir.resolve("model");
        if (!Files.exists(model)) {
            TinyModels.save(model, 5);
        }
        List<String> args = new ArrayList<>(List.of("run", "--config",
                Files.writeString(dir.resolve("c.conf"), CONFIG + extraConfig).toString(), "--data", data().toString(),
                "--model",
                model.toString(), "--out", dir.resolve("runs").toString(), "--run-id", id, "--steps",
                Integer.toString(steps), "--no-servers"));
        args.addAll(List.of(more));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void trainsOnTheFileWithDeclaredRewardsAndReportsEachObjectiveHeldOut() throws IOException {
        AnswerRecordingScorer.SEEN.clear();
        CliRunner r = run("data", 3);
        assertEquals(0, r.status(), r.err());
        List<LearnerEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("runs/data/metrics.jsonl"))) {
            LearnerEvent.Builder b = LearnerEvent.newBuilder();
            JsonFormat.parser().merge(line, b);
            events.add(b.build());
        }
        assertEquals(List.of(1L, 2L, 3L), events.stream().map(LearnerEvent::getStep).toList());
        assertEquals(List.of("length", "answer"),
                events.get(0).getObjectivesList().stream().map(o -> o.getName()).toList());
        assertTrue(r.err().contains("data " + dir.resolve("train.jsonl") + " (6 prompts, 2 held out)"), r.err());
        assertTrue(r.err().contains("first prompt, with no chat template:\n"), r.err());

        // Every field but the prompt reached the scorer: strings verbatim, the rest as JSON text.
        Set<String> answers = new HashSet<>();
        for (Map<String, String> m : AnswerRecordingScorer.SEEN) {
            int i = Integer.parseInt(m.get("answer")) - 1;
            assertEquals(Map.of("answer", Integer.toString(i + 1), "tests", "[\"assert f(" + i + ")\"]",
                    "level", Integer.toString(i % 3)), m);
            answers.add(m.get("answer"));
        }
        assertFalse(answers.isEmpty());

        // The table keeps its layout, one greedy and one sampled row per objective.
        assertTrue(r.out().contains("held-out (2 prompts)        before     after    change"), r.out());
        for (String row : List.of("mean length, greedy", "mean length, sampled", "mean answer, greedy",
                "mean answer, sampled")) {
            Matcher m = Pattern.compile(Pattern.quote(row) + " +(-?[0-9.]+) +(-?[0-9.]+) +([+-][0-9.]+)\n")
                    .matcher(r.out());
            assertTrue(m.find(), row + " in " + r.out());
            double change = Double.parseDouble(m.group(2)) - Double.parseDouble(m.group(1));
            assertEquals(change, Double.parseDouble(m.group(3)), 0.0011, row);
        }
        // greedy length is in [1, max-new-tokens]: a real decode, not a default
        Matcher len = Pattern.compile("mean length, greedy +([0-9.]+)").matcher(r.out());
        assertTrue(len.find());
        double l = Double.parseDouble(len.group(1));
        assertTrue(l >= 1 && l <= 6, r.out());
    }

    @Test
    void aChatTemplateFileRendersEveryPromptAndTheFirstIsShown() throws IOException {
        Path template = Files.writeString(dir.resolve("t.jinja"),
                "{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}<assistant>");
        CliRunner r = run("templated", 1, "--chat-template", template.toString());
        assertEquals(0, r.status(), r.err());
        Matcher m = Pattern.compile("first prompt, with chat template " + Pattern.quote(template.toString())
                + ":\n<user>[0-9]\\+1=<assistant>\n").matcher(r.err());
        assertTrue(m.find(), r.err());
    }

    @Test
    void resumeContinuesTheFilesPromptStreamExactly() throws IOException {
        // 6 training prompts, 2 a step: step 4 starts the second epoch, so the seek crosses a reshuffle.
        String quick = "troupe.run.heldout-prompts = 0\ntroupe.checkpoint.every-n-steps = 2\n";
        assertEquals(0, runWith(quick, "straight", 4).status());
        assertEquals(0, runWith(quick, "first-half", 2).status());
        CliRunner resumed = runWith(quick, "second-half", 4, "--resume", dir.resolve("runs/first-half").toString());
        assertEquals(0, resumed.status(), resumed.err());
        assertArrayEquals(Files.readAllBytes(dir.resolve("runs/straight/final/model.safetensors")),
                Files.readAllBytes(dir.resolve("runs/second-half/final/model.safetensors")), "same final weights");
    }
}
