package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;

/** {@code troupe score} end to end, in-process, on a small JSONL of responses. */
class ScoreCommandTest {

    @TempDir
    Path dir;

    private Path data() throws IOException {
        return Files.writeString(dir.resolve("r.jsonl"), String.join("\n",
                "{\"prompt\": \"2+2?\", \"answer\": \"4\", \"response\": \"so \\\\boxed{4}\"}",
                "",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"3+4?\"}], \"answer\": 7, \"response\": \"8\"}",
                "{\"prompt\": \"name?\", \"response\": \"{\\\"name\\\": \\\"x\\\"}\"}") + "\n");
    }

    private static List<JsonObject> lines(String out) {
        return out.lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    @Test
    void printsScoresAndOutcomesPerLineWithSuffixedObjectives() throws IOException {
        CliRunner r = CliRunner.run("score", "--data", data().toString(), "--reward", "exact-match:extract=last-number",
                "--reward", "numeric:source=boxed", "--reward", "json:keys=[name]", "--reward", "exact-match");
        assertEquals(0, r.status(), r.err());
        List<JsonObject> out = lines(r.out());
        assertEquals(3, out.size(), r.out());
        assertEquals(List.of(1, 3, 4), out.stream().map(o -> o.get("line").getAsInt()).toList());
        JsonObject first = out.get(0);
        assertEquals(1.0, first.getAsJsonObject("scores").get("exact-match").getAsDouble());
        assertEquals(1.0, first.getAsJsonObject("scores").get("numeric").getAsDouble());
        assertEquals(0.0, first.getAsJsonObject("scores").get("exact-match-2").getAsDouble());
        assertEquals("match", first.getAsJsonObject("outcomes").get("numeric").getAsString());
        assertEquals("no match", first.getAsJsonObject("outcomes").get("exact-match-2").getAsString());
        assertTrue(first.getAsJsonObject("outcomes").get("json").getAsString().startsWith("invalid json: "));
        JsonObject second = out.get(1);
        assertEquals("no match", second.getAsJsonObject("outcomes").get("exact-match").getAsString(),
                "a number field travels as its JSON text, 7");
        assertEquals("no \\boxed{}", second.getAsJsonObject("outcomes").get("numeric").getAsString());
        JsonObject third = out.get(2);
        assertEquals("missing field answer", third.getAsJsonObject("outcomes").get("exact-match").getAsString());
        assertEquals(0.0, third.getAsJsonObject("scores").get("exact-match").getAsDouble());
        assertEquals(1.0, third.getAsJsonObject("scores").get("json").getAsDouble());
        assertEquals(0, third.getAsJsonObject("faults").size());
    }

    @Test
    void aNumberFieldIsComparedAsItsJsonText() throws IOException {
        Path f = Files.writeString(dir.resolve("n.jsonl"), "{\"answer\": 7, \"response\": \"it is 7\"}\n");
        CliRunner r = CliRunner.run("score", "--data", f.toString(), "--reward", "numeric");
        assertEquals(0, r.status(), r.err());
        assertEquals("{\"line\":1,\"scores\":{\"numeric\":1.0},\"outcomes\":{\"numeric\":\"match\"},\"faults\":{}}",
                r.out().strip());
    }

    @Test
    void configScorersRunBesideRewardOptionsAndFaultsShowAsThePipelineNamesThem() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), "troupe.rewards.scorers = [ { scorer = length, unit = chars },"
                + " { scorer = \"" + Throwing.class.getName() + "\" }, { scorer = \"" + NotFinite.class.getName() + "\" } ]");
        CliRunner r = CliRunner.run("score", "--data", data().toString(), "--config", conf.toString(),
                "--reward", "length");
        assertEquals(0, r.status(), r.err());
        JsonObject first = lines(r.out()).get(0);
        assertEquals(12.0, first.getAsJsonObject("scores").get("length").getAsDouble());
        assertEquals("12 chars", first.getAsJsonObject("outcomes").get("length").getAsString());
        assertEquals("0 tokens", first.getAsJsonObject("outcomes").get("length-2").getAsString());
        JsonObject faults = first.getAsJsonObject("faults");
        assertEquals("exception", faults.getAsJsonObject("throws").get("kind").getAsString());
        assertEquals("IllegalStateException: boom", faults.getAsJsonObject("throws").get("detail").getAsString());
        assertEquals("non_finite", faults.getAsJsonObject("nan").get("kind").getAsString());
        assertTrue(!first.getAsJsonObject("scores").has("throws"));
    }

    @Test
    void theReadmeExamplePrintsWhatTheReadmeShows() throws IOException {
        Path f = Files.writeString(dir.resolve("responses.jsonl"),
                "{\"prompt\": \"2+2?\", \"answer\": \"4\", \"response\": \"so \\\\boxed{4}\"}\n"
                + "{\"prompt\": \"3+4?\", \"answer\": \"7\", \"response\": \"I think 8\"}\n");
        CliRunner r = CliRunner.run("score", "--data", f.toString(), "--reward", "numeric:source=boxed",
                "--reward", "exact-match:extract=last-number");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(
                "{\"line\":1,\"scores\":{\"numeric\":1.0,\"exact-match\":1.0},\"outcomes\":{\"numeric\":\"match\","
                        + "\"exact-match\":\"match\"},\"faults\":{}}",
                "{\"line\":2,\"scores\":{\"numeric\":0.0,\"exact-match\":0.0},\"outcomes\":{\"numeric\":"
                        + "\"no \\\\boxed{}\",\"exact-match\":\"no match\"},\"faults\":{}}"),
                r.out().lines().toList());
    }

    @Test
    void aModelFolderCountsTokensWithItsTokenizer() throws IOException {
        Path m = TinyModels.save(dir.resolve("m"), 1);
        Path f = Files.writeString(dir.resolve("t.jsonl"), "{\"response\": \"caf\u00e9\"}\n");
        CliRunner r = CliRunner.run("score", "--data", f.toString(), "--model", m.toString(), "--reward", "length");
        assertEquals(0, r.status(), r.err());
        JsonObject line = lines(r.out()).get(0);
        assertEquals(5.0, line.getAsJsonObject("scores").get("length").getAsDouble(), "5 bytes of UTF-8");
        assertEquals("5 tokens", line.getAsJsonObject("outcomes").get("length").getAsString());
    }

    @Test
    void noDeclaredRewardIsAUsageError() throws IOException {
        CliRunner r = CliRunner.run("score", "--data", data().toString());
        assertEquals(2, r.status());
        assertEquals("error: no reward: use --reward or troupe.rewards.scorers", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void aBadLineExitsBeforeAnyLineIsPrinted() throws IOException {
        Path f = Files.writeString(dir.resolve("b.jsonl"), "{\"response\": \"a\"}\n{\"response\": 3}\n");
        CliRunner r = CliRunner.run("score", "--data", f.toString(), "--reward", "exact-match");
        assertEquals(2, r.status());
        assertEquals("", r.out());
        assertEquals("error: " + f + ":2: field 'response' must be a string (the response to score)", r.err().strip());
    }

    /** A plugin scorer that always throws. */
    public static final class Throwing implements RewardScorer {
        @Override
        public Objective objective() {
            return new Objective("throws", Direction.MAXIMIZE);
        }

        @Override
        public float[] score(List<ScoreInput> batch) {
            throw new IllegalStateException("boom");
        }
    }

    /** A plugin scorer that returns NaN. */
    public static final class NotFinite implements RewardScorer {
        @Override
        public Objective objective() {
            return new Objective("nan", Direction.MAXIMIZE);
        }

        @Override
        public float[] score(List<ScoreInput> batch) {
            return new float[] {Float.NaN};
        }
    }
}
