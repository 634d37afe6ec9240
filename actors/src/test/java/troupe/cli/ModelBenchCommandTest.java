package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ModelBenchCommandTest {
    /** The script itself, where issue 17 was worked; absent on CI, where the copied list stands in. */
    private static final Path SCRIPT = Path.of("/work/shared/bench/torch_baseline.py");
    private static final String TINY = "--layers 1 --d-model 16 --heads 2 --vocab 32 --ctx 16 --batch 2 --seq 8 "
            + "--steps 2 --warmup 1 --decode-batch 1,2 --decode-reps 1";

    @Test
    void aTinyModelPrintsOneJsonLineWithTheScriptsKeys() {
        CliRunner r = CliRunner.run(("bench model " + TINY + " --json").split(" "));
        assertEquals(0, r.status(), r.err());
        assertEquals(1, r.out().strip().lines().count(), "--json prints only the JSON line: " + r.out());
        JsonObject res = JsonParser.parseString(r.out()).getAsJsonObject();
        JsonObject train = res.getAsJsonObject("train");
        assertTrue(train.get("tokens_per_s").getAsDouble() > 0, train.toString());
        for (String k : new String[] {"fwd_ms", "bwd_ms", "opt_ms"}) {
            assertTrue(train.get(k).getAsDouble() > 0, k + " in " + train);
        }
        assertEquals(2, train.get("timed_steps").getAsInt());
        JsonArray decode = res.getAsJsonArray("decode");
        assertEquals(2, decode.size(), decode.toString());
        for (int i = 0; i < 2; i++) {
            JsonObject d = decode.get(i).getAsJsonObject();
            assertEquals(i + 1, d.get("batch").getAsInt());
            assertEquals(16 - 8, d.get("new_tokens").getAsInt(), "--decode-tokens 0 = ctx - prompt-len");
            assertTrue(d.get("kv_steps_per_s").getAsDouble() > 0, d.toString());
        }
        assertTrue(res.get("peak_rss_mb").getAsLong() > 0, res.toString());
        assertEquals(1, res.get("threads").getAsInt());
        JsonObject c = res.getAsJsonObject("config");
        assertEquals(2, c.get("n_kv_heads").getAsInt(), "--kv-heads 0 = --heads");
        assertEquals(64, c.get("ffn").getAsInt(), "--ffn 0 = 8/3·d rounded up to a multiple of 64");
        assertEquals(false, c.get("tie").getAsBoolean());
    }

    @Test
    void withoutJsonAMarkdownRowFollows() {
        CliRunner r = CliRunner.run(("bench model " + TINY + " --mode decode --layout gpt2").split(" "));
        assertEquals(0, r.status(), r.err());
        JsonObject res = JsonParser.parseString(r.out().lines().findFirst().orElseThrow()).getAsJsonObject();
        assertTrue(!res.has("train"), "--mode decode runs no training: " + res);
        assertEquals(true, res.getAsJsonObject("config").get("tie").getAsBoolean(), "gpt2 always ties");
        assertTrue(r.out().contains("| layout | layers × d | params | threads | train tok/s |"), r.out());
        assertTrue(r.out().contains("| gpt2 | 1 × 16 |"), r.out());
    }

    @Test
    void aFlagTheScriptDoesNotHaveIsRefused() {
        CliRunner r = CliRunner.run("bench", "model", "--lr", "1e-3");
        assertEquals(2, r.status(), r.out());
        assertTrue(r.err().contains("--lr"), r.err());
    }

    @Test
    void flagsTheScriptWouldRejectAreRefusedNamingTheFlag() {
        CliRunner seq = CliRunner.run("bench", "model", "--seq", "200");
        assertEquals(2, seq.status(), seq.out());
        assertTrue(seq.err().contains("--seq must be <= --ctx"), seq.err());
        CliRunner layout = CliRunner.run("bench", "model", "--layout", "mamba");
        assertEquals(2, layout.status(), layout.out());
        assertTrue(layout.err().contains("--layout must be one of llama, qwen2, gpt2, got 'mamba'"), layout.err());
    }

    @Test
    void itsFlagsAndDefaultsAreTheScripts() throws IOException {
        Map<String, String> copied = copiedFlags();
        if (Files.exists(SCRIPT)) {
            assertEquals(scriptFlags(Files.readString(SCRIPT)), copied, "the copy in torch_baseline_flags.txt is stale");
        }
        Map<String, String> ours = new TreeMap<>();
        new CommandLine(new ModelBenchCommand()).getCommandSpec().options().stream()
                .filter(o -> !o.longestName().equals("--json") && !o.usageHelp())
                .forEach(o -> ours.put(o.longestName(), o.defaultValue() == null ? "" : o.defaultValue()));
        assertEquals(copied, ours);
    }

    /** {@code add_argument("--flag", …, default=X, …)} lines of the script: flag → default ("" for a switch). */
    static Map<String, String> scriptFlags(String script) {
        Map<String, String> flags = new TreeMap<>();
        Matcher m = Pattern.compile("add_argument\\(\"(--[\\w-]+)\"(.*)\\)\\s*$", Pattern.MULTILINE).matcher(script);
        while (m.find()) {
            Matcher d = Pattern.compile("default=(\"[^\"]*\"|[^,)\\s]+)").matcher(m.group(2));
            flags.put(m.group(1), d.find() ? d.group(1).replace("\"", "") : "");
        }
        return flags;
    }

    private static Map<String, String> copiedFlags() throws IOException {
        try (InputStream in = ModelBenchCommandTest.class.getResourceAsStream("/troupe/bench/torch_baseline_flags.txt")) {
            Map<String, String> flags = new TreeMap<>();
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .forEach(l -> flags.put(l.split(" ")[0], l.contains(" ") ? l.split(" ", 2)[1] : ""));
            return flags;
        }
    }
}
