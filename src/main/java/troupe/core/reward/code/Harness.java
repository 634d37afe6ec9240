package troupe.core.reward.code;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import troupe.core.reward.ScorerException;
import troupe.core.reward.ScorerFault;

/**
 * Runs a candidate program and then each test statement through the Python harness
 * ({@code harness.py} beside this class) and turns its tally into a score and an outcome.
 *
 * <p>What the candidate does is always a result: a timeout, an output flood, a MemoryError, an
 * exception or an early exit score the fraction of tests passed before it. Only a run that never
 * reached the harness's first line (the interpreter or the sandbox failed) throws.
 */
final class Harness {

    /** A sample's score in [0, 1] and why. */
    record Verdict(float score, String outcome) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String program;

    Harness() {
        try (InputStream in = Harness.class.getResourceAsStream("harness.py")) {
            if (in == null) {
                throw new IllegalStateException("harness.py is missing from the classpath");
            }
            program = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param limitMillis wall-clock limit of this run
     * @throws ScorerException when the sandbox or the interpreter failed (not the program)
     */
    Verdict run(Sandbox sandbox, int slot, String code, List<String> tests, long limitMillis)
            throws IOException, InterruptedException {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        String nonce = HexFormat.of().formatHex(key);
        JsonObject spec = new JsonObject();
        spec.addProperty("nonce", nonce);
        spec.addProperty("code", code);
        JsonArray t = new JsonArray();
        tests.forEach(t::add);
        spec.add("tests", t);
        Sandbox.Run run = sandbox.run(slot, program, spec.toString().getBytes(StandardCharsets.UTF_8), limitMillis);
        return verdict(run, nonce, tests.size());
    }

    static Verdict verdict(Sandbox.Run run, String nonce, int tests) {
        int passed = 0;
        boolean started = false;
        boolean done = false;
        boolean syntax = false;
        boolean memory = false;
        String crash = null;
        for (String line : run.tally().split("\n")) {
            if (!line.startsWith(nonce + " ")) {
                continue;
            }
            String[] w = line.substring(nonce.length() + 1).split(" ");
            switch (w[0]) {
                case "start" -> started = true;
                case "syntax" -> syntax = true;
                case "pass" -> passed++;
                case "memory" -> memory = true;
                case "crash" -> crash = w.length > 1 ? w[1] : "?";
                case "done" -> done = true;
                default -> { } // "ran", "fail": nothing to count
            }
        }
        float score = tests == 0 ? 0f : (float) passed / tests;
        String tally = passed + "/" + tests;
        if (run.ending() == Sandbox.Ending.TIMEOUT) {
            return new Verdict(score, "timeout" + after(passed, tally));
        }
        if (run.ending() == Sandbox.Ending.OUTPUT_LIMIT) {
            return new Verdict(score, "output-limit" + after(passed, tally));
        }
        if (syntax) {
            return new Verdict(0f, "syntax error");
        }
        if (!started) {
            throw new ScorerException(ScorerFault.Kind.EXCEPTION, "the code-execution sandbox failed before the "
                    + "program ran: exit " + run.exitCode() + firstLine(run.output()), null);
        }
        if (memory) {
            return new Verdict(score, "memory-limit" + after(passed, tally));
        }
        if (done) {
            return new Verdict(score, "passed " + tally);
        }
        if (crash != null) {
            return new Verdict(score, "crash (" + crash + ")" + after(passed, tally));
        }
        // killed by a signal (SIGXCPU past the CPU limit is 128 + 24) or an os._exit of its own
        String why = run.exitCode() == 128 + 24 ? "timeout (cpu)" : "crash (exit " + run.exitCode() + ")";
        return new Verdict(score, why + after(passed, tally));
    }

    private static String after(int passed, String tally) {
        return passed == 0 ? "" : ", passed " + tally;
    }

    private static String firstLine(String s) {
        String first = s.strip().lines().findFirst().orElse("");
        return first.isEmpty() ? "" : ": " + first;
    }
}
