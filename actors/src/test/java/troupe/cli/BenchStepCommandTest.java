package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code troupe bench step}: runs the roles for a tiny model and speaks torch_grpo_step.py's flags and JSON. */
class BenchStepCommandTest {

    /** The script beside the repository on the development machine; absent on CI. */
    private static final Path SCRIPT = Path.of("/work/shared/bench/torch_grpo_step.py");
    private static final Pattern ADD_ARGUMENT = Pattern.compile("add_argument\\(\"(--[\\w-]+)\"([^\\n]*)");
    private static final Pattern DEFAULT = Pattern.compile("default=\"?([^,)\"]+)");
    /** The flags this bench has beyond the script's (argparse's own --help included). */
    private static final List<String> OWN = List.of("--max-policy-lag", "--json", "--help");

    @Test
    void twoStepsOfATinyModelPrintTheScriptsJsonKeys() {
        CliRunner r = CliRunner.run("bench", "step", "--layers", "1", "--d-model", "32", "--heads", "2", "--vocab", "64",
                "--ctx", "16", "--prompts", "2", "--group", "2", "--prompt-len", "4", "--response-len", "3",
                "--micro-batch", "3", "--steps", "1", "--warmup", "1", "--json");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1, lines.size(), r.out());
        JsonObject j = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        JsonObject step = j.getAsJsonObject("step");
        for (String k : List.of("samples_per_s", "tokens_per_s", "gen_ms", "reward_ms", "ref_ms", "adv_ms",
                "learn_ms", "opt_ms", "step_ms")) {
            assertTrue(step.has(k), k + " missing: " + step);
            assertTrue(step.get(k).getAsDouble() > 0, k + " not timed: " + step);
        }
        assertTrue(j.get("peak_rss_mb").getAsDouble() > 0, j.toString());
        assertEquals(4, j.getAsJsonObject("grpo").get("sequences").getAsInt());
        // steps/s × sequences and × T: the throughputs are the step time's
        double stepS = step.get("step_ms").getAsDouble() / 1000;
        assertEquals(4 / stepS, step.get("samples_per_s").getAsDouble(), 0.01 + 1e-3 * 4 / stepS);
        // the learner's optimiser phase is part of learn, as in the script
        assertTrue(step.get("opt_ms").getAsDouble() <= step.get("learn_ms").getAsDouble(), step.toString());
        // the script's check: step 1's policy is the reference, so the k3 KL is 0
        assertTrue(Math.abs(j.get("kl_step0").getAsDouble()) < 1e-6, j.toString());
        assertEquals(2, j.getAsJsonArray("reward_mean").size(), "warm-up + timed steps");
    }

    @Test
    void flagsAndDefaultsAreTheScriptsArgparse() throws IOException {
        Map<String, String> script = Files.exists(SCRIPT) ? parseScript(Files.readString(SCRIPT)) : copied();
        if (Files.exists(SCRIPT)) {
            assertEquals(script, copied(), "test resource troupe/bench/torch_grpo_step.flags is out of date");
        }
        Map<String, String> ours = new LinkedHashMap<>();
        for (CommandLine.Model.OptionSpec o : new CommandLine(new BenchCommand.Step()).getCommandSpec().options()) {
            if (!OWN.contains(o.longestName())) {
                ours.put(o.longestName(), o.defaultValue() == null ? "false" : o.defaultValue());
            }
        }
        assertEquals(script.keySet(), ours.keySet());
        script.forEach((flag, d) -> assertTrue(sameValue(d, ours.get(flag)),
                flag + ": script default " + d + ", bench step's " + ours.get(flag)));
    }

    @Test
    void aBadFlagIsTheScriptsOneLineError() {
        CliRunner r = CliRunner.run("bench", "step", "--group", "1");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("error: --group must be >= 2 (unbiased group std)"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        CliRunner ctx = CliRunner.run("bench", "step", "--prompt-len", "100", "--response-len", "100");
        assertEquals(2, ctx.status());
        assertTrue(ctx.err().startsWith("error: --prompt-len + --response-len must be <= --ctx"), ctx.err());
    }

    private static boolean sameValue(String a, String b) {
        try {
            return Double.parseDouble(a) == Double.parseDouble(b);
        } catch (NumberFormatException e) {
            return a.equalsIgnoreCase(b);
        }
    }

    static Map<String, String> parseScript(String source) {
        Map<String, String> flags = new LinkedHashMap<>();
        Matcher m = ADD_ARGUMENT.matcher(source);
        while (m.find()) {
            Matcher d = DEFAULT.matcher(m.group(2));
            flags.put(m.group(1), m.group(2).contains("store_true") ? "false" : d.find() ? d.group(1) : "");
        }
        return flags;
    }

    private static Map<String, String> copied() throws IOException {
        Map<String, String> flags = new LinkedHashMap<>();
        try (InputStream in = BenchStepCommandTest.class.getResourceAsStream("/troupe/bench/torch_grpo_step.flags")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] p = line.split(" ", 2);
                    flags.put(p[0], p[1]);
                }
            }
        }
        return flags;
    }
}
