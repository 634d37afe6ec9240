package troupe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loss of the learner node: kill -9 of the learner after a checkpoint, the role nodes keep
 * running and say they wait for a learner, a new learner process started with {@code --resume}
 * joins the cluster they still form, the generators load its (older) weights, and the run
 * finishes its steps from the checkpoint on without training any batch id twice. Every node runs
 * the README's example config (examples/cluster/, the reference as second seed) with only the
 * addresses replaced.
 */
class LearnerRestartIT {
    private static final int STEPS = 12;
    /**
     * A checkpoint every 4 steps and the kill after step 5's weights reached the generators: the
     * lost learner trained past its checkpoint, so the generators hold a newer version than the
     * one the new learner resumes at (and three steps of slack keep the next checkpoint away).
     */
    private static final String RUN = ClusterRunIT.RUN.formatted(STEPS) + "troupe.checkpoint.every-n-steps = 4\n";
    private static final Pattern STEP = Pattern.compile("\"step\":\"?(\\d+)");
    private static final Pattern VERSION = Pattern.compile("\"policyVersion\":\"?(\\d+)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    @Timeout(480)
    void restartedLearnerResumesFromTheCheckpointAndTheRunFinishes() throws Exception {
        // The reference node is the second seed: the restarted learner finds the surviving cluster through it.
        try (TestCluster c = TestCluster.fromExamples(dir, RUN)) {
            // When the run ends, generator-b exits and the others wait for the next learner (the default).
            c.configure("generator-b", "troupe.node.after-run = exit");
            c.start("learner", "learner", List.of());
            ClusterRunIT.startWorkers(c);
            // An event is published once every generator holds the step's weights.
            c.await("5 steps published", Duration.ofSeconds(180), () -> c.events().size() >= 5);
            c.node("learner").kill9();
            long trainedBefore = c.trained();
            List<String> eventsBefore = c.events();

            // The newest complete checkpoint (a write cut by the kill leaves only a .tmp folder).
            Properties state = checkpointState(newestCheckpoint(c.runFolder().resolve("checkpoints")));
            long ckStep = Long.parseLong(state.getProperty("step"));
            long ckBatch = Long.parseLong(state.getProperty("last-batch-id"));
            assertTrue(ckStep >= 4 && ckStep % 4 == 0 && ckStep < eventsBefore.size() && ckStep <= trainedBefore,
                    "checkpoint of step " + ckStep + " with " + eventsBefore.size() + " steps published");

            // The role nodes stay up and say what they wait for once the learner is removed.
            for (String n : List.of("generator-a", "generator-b", "reward", "reference")) {
                c.await(n + " waits for a learner", Duration.ofSeconds(90),
                        () -> c.node(n).output().contains("waiting: no learner in the cluster"));
                assertTrue(c.node(n).isAlive(), n + " exited after the learner was lost\n" + c.logs());
            }

            JvmProcess learner = c.start("learner", "learner", List.of(), "--resume", c.runFolder().toString());
            assertEquals(0, learner.awaitExit(Duration.ofSeconds(240)), c.logs());
            assertTrue(learner.output().contains("finished: " + STEPS + " steps, policy v" + STEPS), learner.output());
            assertTrue(learner.output().contains("resumed at step " + ckStep + ", policy version " + ckStep),
                    learner.output());
            assertFalse(learner.output().contains("founded a new cluster"), learner.output());
            for (String n : List.of("generator-a", "generator-b")) {
                assertTrue(c.node(n).output().split("is up; serving it", -1).length > 2,
                        n + " saw both learners: " + c.node(n).output());
            }
            // A generator that held a version past the checkpoint went back to the resumed learner's.
            // Only one is asserted: a generator still waiting out a weight fetch when the new learner's
            // first broadcast goes out gets a later version from it (seen once on a quiet machine).
            assertTrue(List.of("generator-a", "generator-b").stream().anyMatch(n -> c.node(n).output()
                    .contains("weights of a new learner incarnation loaded: version " + ckStep + " (was ")), c.logs());
            // The learner told the role nodes that the run ended; each did what troupe.node.after-run says.
            assertEquals(0, c.node("generator-b").awaitExit(Duration.ofSeconds(60)), c.logs());
            assertTrue(c.node("generator-b").output().contains("run it ended after " + STEPS
                    + " steps; troupe.node.after-run = exit: leaving the cluster and exiting"), c.logs());
            for (String n : List.of("generator-a", "reward", "reference")) {
                c.await(n + " says it waits for the next run", Duration.ofSeconds(30), () -> c.node(n).output()
                        .contains("run it ended after " + STEPS + " steps; troupe.node.after-run = wait"));
                assertTrue(c.node(n).isAlive(), n + " exited although after-run = wait\n" + c.logs());
            }

            assertResumedFrom(c, eventsBefore, ckStep, ckBatch);
        }
    }

    /**
     * Metrics: the earlier learner's events, then steps ckStep+1..STEPS at their own versions;
     * ledger: after the resumed line every id is past the checkpoint's last batch and settled once.
     */
    private static void assertResumedFrom(TestCluster c, List<String> eventsBefore, long ckStep, long ckBatch) {
        // Metrics: the lost learner's events, then steps ckStep+1..STEPS, each at its own version.
        List<String> events = c.events();
        assertEquals(eventsBefore, events.subList(0, eventsBefore.size()), "a resume appends to the metrics");
        List<String> after = events.subList(eventsBefore.size(), events.size());
        List<Long> steps = new ArrayList<>();
        for (String e : after) {
            steps.add(number(STEP, e));
            assertEquals(number(STEP, e), number(VERSION, e), "on-policy version of " + e);
        }
        List<Long> expected = new ArrayList<>();
        for (long s = ckStep + 1; s <= STEPS; s++) {
            expected.add(s);
        }
        assertEquals(expected, steps, "steps after the restart continue from the checkpoint");

        // Ledger: after the resumed line, every id is new (past the checkpoint's last batch) and trained once.
        List<String[]> ledger = c.ledger();
        int resumedAt = -1;
        for (int i = 0; i < ledger.size(); i++) {
            if (ledger.get(i)[0].equals("resumed")) {
                resumedAt = i;
            }
        }
        assertTrue(resumedAt >= 0, "no resumed line in the ledger");
        assertEquals(List.of("resumed", Long.toString(ckBatch), Long.toString(ckStep), Long.toString(ckStep)),
                List.of(ledger.get(resumedAt)));
        Set<Long> seen = new HashSet<>();
        long trainedAfter = 0;
        long max = ckBatch;
        for (String[] l : ledger.subList(resumedAt + 1, ledger.size())) {
            long id = Long.parseLong(l[1]);
            assertTrue(id > ckBatch, "batch " + id + " is not after the checkpoint's " + ckBatch);
            assertTrue(seen.add(id), "batch " + id + " settled twice after the resume");
            trainedAfter += l[0].equals("trained") ? 1 : 0;
            max = Math.max(max, id);
        }
        assertEquals(STEPS - ckStep, trainedAfter, "trained batches after the resume");
        for (long id = ckBatch + 1; id <= max; id++) {
            assertTrue(seen.contains(id), "batch " + id + " neither trained nor reported lost/stale");
        }
    }

    @Test
    @Timeout(420)
    void sigtermCheckpointsTheLastStepSoAResumeRetrainsNothing() throws Exception {
        try (TestCluster c = TestCluster.fromExamples(dir, RUN)) {
            JvmProcess first = c.start("learner", "learner", List.of());
            ClusterRunIT.startWorkers(c);
            c.await("3 steps published", Duration.ofSeconds(180), () -> c.events().size() >= 3);
            // SIGTERM: coordinated shutdown stops the learner, checkpoints, leaves; the JVM reports the signal.
            assertEquals(143, first.terminate(Duration.ofSeconds(90)), c.logs());
            long trained = c.trained();
            List<String> eventsBefore = c.events();
            Path checkpoint = newestCheckpoint(c.runFolder().resolve("checkpoints"));
            Properties state = checkpointState(checkpoint);
            long ckStep = Long.parseLong(state.getProperty("step"));
            assertEquals(trained, ckStep, "the checkpoint is of the last trained step\n" + first.output());
            assertTrue(first.output().contains("shutdown checkpoint of step " + ckStep), first.output());
            c.await("generator-a waits for a learner", Duration.ofSeconds(60),
                    () -> c.node("generator-a").output().contains("waiting: no learner in the cluster"));

            JvmProcess second = c.start("learner", "learner", List.of(), "--resume", c.runFolder().toString());
            assertEquals(0, second.awaitExit(Duration.ofSeconds(240)), c.logs());
            assertTrue(second.output().contains("finished: " + STEPS + " steps, policy v" + STEPS), second.output());
            assertResumedFrom(c, eventsBefore, ckStep, Long.parseLong(state.getProperty("last-batch-id")));
            assertEquals(STEPS, c.trained(), "no step trained twice over both learners");

            // A learner resumed when no seed but itself answers founds a new cluster, and says so and
            // what it waits for (more steps, so it does not end at once).
            for (String n : List.of("generator-a", "generator-b", "reward", "reference")) {
                c.node(n).kill9();
            }
            c.configure("learner", "troupe.run.steps = " + (STEPS + 10));
            JvmProcess alone = c.start("learner", "learner", List.of(), "--resume", c.runFolder().toString());
            c.await("the lone learner's warning", Duration.ofSeconds(120), () -> alone.output().contains(
                    "--resume: this learner founded a new cluster; no surviving node answered at its other seed nodes"));
            c.await("the lone learner says what it waits for", Duration.ofSeconds(30), () -> alone.output().contains(
                    "(roles present: none; waiting for: generator, reward, reference)"));
        }
    }

    private static Properties checkpointState(Path checkpoint) throws IOException {
        Properties state = new Properties();
        try (Reader r = Files.newBufferedReader(checkpoint.resolve("learner-state.properties"))) {
            state.load(r);
        }
        return state;
    }

    private static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        assertTrue(m.find(), p + " in " + json);
        return Long.parseLong(m.group(1));
    }

    private static Path newestCheckpoint(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d{9}")).max(Path::compareTo)
                    .orElseThrow(() -> new AssertionError("no checkpoint in " + folder));
        }
    }
}
