package troupe.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.model.CausalLm;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.train.Checkpoints;
import troupe.core.model.train.TrainablePolicy;

/**
 * SIGKILL in the middle of a checkpoint write and of a model export, at points spread through
 * each write (every 16 KiB of a file, each fsync, rename and manifest step): a child JVM runs the
 * write with {@code -Dtroupe.crash-point=K}, prints {@code AT K} and blocks there, and is killed
 * with {@link Process#destroyForcibly()} (SIGKILL on Linux). Afterwards the resume logic must find
 * the newest complete version, exactly: the previous one when the kill came before the commit
 * point, the new one after it — never a mix, never a half-written file.
 */
class CrashConsistencyTest {
    /** Kills per write at least. */
    private static final int KILLS = 24;

    @TempDir
    static Path tmp;
    private static NDManager manager;
    /** What the child writes as version 2, made here with the engine: mode → file or folder. */
    private static final Map<String, Path> sources = new java.util.HashMap<>();

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void resumeAfterSigkillMidCheckpointTakesTheNewestCompleteOne() throws Exception {
        Path template = tmp.resolve("ckpt-template");
        CrashWriter.checkpoint(template, 1, manager);
        Path source = tmp.resolve("ckpt-source");
        CrashWriter.checkpoint(source, 2, manager);
        sources.put("checkpoint", source.resolve("step-000000002").resolve(CrashWriter.POLICY));
        List<String> points = listPoints("checkpoint");
        int commit = points.indexOf("checkpoint renamed");
        assertTrue(commit > 20, "points: " + points);
        List<Long> outcomes = new ArrayList<>();
        for (int k : spread(points)) {
            Path root = tmp.resolve("ckpt-" + k);
            copyTree(template, root);
            String at = killAt("checkpoint", root, k);
            List<String> skipped = new ArrayList<>();
            Path chosen = CheckpointStore.resolveResume(root, skipped::add);
            long expected = k - 1 >= commit ? 2 : 1;
            assertEquals(expected, CheckpointStore.stepOf(chosen), "killed at " + k + " (" + at + ")");
            assertTrue(skipped.isEmpty(), "a torn write is a .tmp folder, never a checkpoint: " + skipped);
            try (TrainablePolicy p = Checkpoints.load(chosen.resolve(CrashWriter.POLICY), CrashWriter.OPT, manager);
                    TrainablePolicy want = CrashWriter.policy(expected, manager)) {
                assertEquals(10 * expected, p.optimizer().stepCount(), "killed at " + at);
                assertSameWeights(CrashWriter.weights(want.model()), CrashWriter.weights(p.model()), at);
            }
            assertEquals("step=" + expected + "\n", Files.readString(chosen.resolve(CrashWriter.STATE)));
            // The run goes on: the next checkpoint clears the torn folder and becomes the newest.
            CrashWriter.checkpoint(root, 3, manager);
            assertEquals(3, CheckpointStore.stepOf(CheckpointStore.resolveResume(root, skipped::add)));
            assertFalse(Files.exists(root.resolve("step-000000002.tmp")), "torn write left behind at " + at);
            outcomes.add(expected);
        }
        report("checkpoint", points, outcomes);
    }

    @Test
    void sigkillMidExportLeavesThePreviousOrTheNewModelNeverAMix() throws Exception {
        Path template = tmp.resolve("export-template");
        CrashWriter.export(template, 1, manager);
        Path source = tmp.resolve("export-source");
        CrashWriter.export(source, 2, manager);
        sources.put("export", source);
        List<String> points = listPoints("export");
        int commit = points.indexOf("troupe-manifest.txt: renamed"); // the staged set is complete: rolled forward
        assertTrue(commit > 20, "points: " + points);
        List<Long> outcomes = new ArrayList<>();
        for (int k : spread(points)) {
            Path dir = tmp.resolve("export-" + k);
            copyTree(template, dir);
            Files.writeString(dir.resolve("README.md"), "the user's own file"); // an export keeps other files
            String at = killAt("export", dir, k);
            long expected = k - 1 >= commit ? 2 : 1;
            try (CausalLm loaded = HfFolder.loadModel(dir, manager); CausalLm want = CrashWriter.model(expected, manager)) {
                assertSameWeights(CrashWriter.weights(want), CrashWriter.weights(loaded), at);
            }
            Manifest.verify(dir);
            assertFalse(Files.exists(dir.resolve(AtomicFolder.STAGING)), "staging left behind at " + at);
            assertEquals("the user's own file", Files.readString(dir.resolve("README.md")));
            outcomes.add(expected);
        }
        report("export", points, outcomes);
    }

    /** The figures RELIABILITY.md quotes. */
    private static void report(String write, List<String> points, List<Long> outcomes) {
        System.out.printf("%s write: %d crash points, %d kills: %d resumed the previous version, %d the new one%n",
                write, points.size(), outcomes.size(), outcomes.stream().filter(v -> v == 1).count(),
                outcomes.stream().filter(v -> v == 2).count());
    }

    /** Runs the write once with every point listed (K = 0); returns the labels in order. */
    private static List<String> listPoints(String mode) throws Exception {
        Path dir = tmp.resolve(mode + "-listing");
        copyTree(tmp.resolve(mode.equals("export") ? "export-template" : "ckpt-template"), dir);
        Process p = child(mode, dir, 0);
        List<String> labels = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("POINT ")) {
                    labels.add(line.substring(line.indexOf(' ', 6) + 1));
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "listing run of " + mode + " failed");
        return labels;
    }

    /** Starts the child at point {@code k}, waits for it to block there, SIGKILLs it; returns the point's label. */
    private static String killAt(String mode, Path dir, int k) throws Exception {
        Process p = child(mode, dir, k);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("AT " + k + " ")) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
                    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                    return line;
                }
            }
            throw new AssertionError("child ended without reaching point " + k);
        } finally {
            p.destroyForcibly();
        }
    }

    private static Process child(String mode, Path dir, int k) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dtroupe.crash-point=" + k, "-cp", cp, CrashWriter.class.getName(), mode, dir.toString(),
                sources.get(mode).toString())
                .redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        return pb.start();
    }

    /**
     * Point numbers (1-based) to kill at: every step of the protocol (temp file, fsync, rename,
     * manifest, commit) and enough of the 16 KiB write slices (8 at least), evenly spread, to make {@link #KILLS}.
     */
    static List<Integer> spread(List<String> labels) {
        java.util.TreeSet<Integer> ks = new java.util.TreeSet<>();
        List<Integer> slices = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).endsWith(" bytes")) {
                slices.add(i + 1);
            } else {
                ks.add(i + 1);
            }
        }
        int more = Math.max(8, KILLS - ks.size()); // at least 8 kills inside file data
        for (int i = 0; i < more && !slices.isEmpty(); i++) {
            ks.add(slices.get((int) Math.round((double) i * (slices.size() - 1) / Math.max(1, more - 1))));
        }
        return new ArrayList<>(ks);
    }

    private static void assertSameWeights(Map<String, float[]> want, Map<String, float[]> got, String at) {
        assertEquals(want.keySet(), got.keySet(), at);
        want.forEach((name, w) -> assertArrayEquals(w, got.get(name), name + " after a kill at " + at));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }
}
