package troupe.core.reward.code;

import com.google.gson.Gson;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.ScorerRegistry;

/** Builds code-execution scorers with short limits, samples, and counts sandbox processes. */
final class CodeExecutionFixture {

    /** Limits of the tests: short, so a timeout costs about a second. */
    static final String FAST = "timeout = 1500ms, batch-budget = 3s, parallelism = 2, max-output = 64K, ";

    private CodeExecutionFixture() {}

    /** The registered rule with {@link #FAST} limits, {@code extra} settings, directories under {@code work}. */
    static CodeExecutionScorer scorer(Path work, String extra) {
        return (CodeExecutionScorer) ScorerRegistry.fromClasspath().create("code-execution",
                ConfigFactory.parseString(FAST + "work-dir = \"" + work + "\"\n" + extra));
    }

    static ScoreInput sample(String response, String... tests) {
        return new ScoreInput("q", response, new int[] {1}, new int[] {1}, "",
                Map.of("tests", new Gson().toJson(List.of(tests))), false);
    }

    /** Processes on this host owned by the sandbox uids of slots 0..63 (root only; else 0). */
    static List<String> sandboxProcesses() throws IOException {
        int base = ConfigFactory.defaultReference().getInt("troupe.rewards.defaults.code-execution.uid-base");
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    int uid = (Integer) Files.getAttribute(p, "unix:uid");
                    return uid >= base && uid < base + 64;
                } catch (IOException | RuntimeException e) {
                    return false; // the process ended while we looked
                }
            }).map(p -> p + " " + cmdline(p)).toList();
        }
    }

    private static String cmdline(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "(ended)";
        }
    }

    /** Entries left in {@code dir}. */
    static List<Path> children(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }
}
