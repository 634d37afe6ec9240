package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.model.train.ModelInit;

class GenerateCommandTest {

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void freshModel() throws IOException {
        model = dir.resolve("m");
        ModelInit.parse("llama-1x32h2").write(model, 3L);
    }

    @Test
    void jsonHasIdsAndOneLogProbPerCompletionToken() {
        CliRunner r = CliRunner.run("generate", "--model", model.toString(), "--tokens", "256,97,98",
                "--temperature", "0.8", "--top-k", "20", "--seed", "5", "--max-new", "6", "--json");
        assertEquals(0, r.status(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertTrue(j.get("prompt").isJsonNull());
        assertEquals("[256,97,98]", j.get("prompt_ids").toString());
        JsonArray ids = j.getAsJsonArray("completion_ids");
        assertTrue(ids.size() >= 1 && ids.size() <= 6, ids.toString());
        assertEquals(ids.size(), j.getAsJsonArray("logprobs").size());
        assertEquals(ids.size(), j.getAsJsonArray("sampler_logprobs").size());
        for (int i = 0; i < ids.size(); i++) {
            float lp = j.getAsJsonArray("sampler_logprobs").get(i).getAsFloat();
            assertTrue(lp <= 0 && Float.isFinite(lp), "a drawn token has mass under q, got " + lp);
        }
        CliRunner again = CliRunner.run("generate", "--model", model.toString(), "--tokens", "256,97,98",
                "--temperature", "0.8", "--top-k", "20", "--seed", "5", "--max-new", "6", "--json");
        assertEquals(ids, JsonParser.parseString(again.out()).getAsJsonObject().getAsJsonArray("completion_ids"),
                "same seed, same sample");
    }

    @Test
    void greedyTextPromptPrintsTheCompletionAndZeroSamplerLogProbs() {
        CliRunner r = CliRunner.run("generate", "--model", model.toString(), "--prompt", "rev:abc=", "--greedy",
                "--max-new", "3", "--json");
        assertEquals(0, r.status(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("rev:abc=", j.get("prompt").getAsString());
        assertEquals(9, j.getAsJsonArray("prompt_ids").size(), "BOS + 8 bytes");
        j.getAsJsonArray("sampler_logprobs").forEach(x -> assertEquals(0f, x.getAsFloat()));
        CliRunner text = CliRunner.run("generate", "--model", model.toString(), "--prompt", "rev:abc=", "--greedy",
                "--max-new", "3");
        assertEquals(j.get("completion").getAsString() + System.lineSeparator(), text.out());
    }

    @Test
    void needsExactlyOneOfPromptAndTokens() {
        assertEquals(2, CliRunner.run("generate", "--model", model.toString()).status());
        assertEquals(2, CliRunner.run("generate", "--model", model.toString(), "--prompt", "a", "--tokens", "1").status());
        CliRunner missing = CliRunner.run("generate", "--model", dir.resolve("nope").toString(), "--prompt", "a");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("model folder not found"), missing.err());
    }
}
