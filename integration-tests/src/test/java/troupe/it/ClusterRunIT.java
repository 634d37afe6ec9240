package troupe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five JVMs on 127.0.0.1 — learner (seed), two generators, a reward node and a reference node —
 * train a tiny policy end to end over Artery; then the same with kill -9 of nodes mid-run.
 */
class ClusterRunIT {
    /** Small steps so the run is bounded by coordination, not compute. */
    static final String RUN = """
            troupe.run { task = reverse, steps = %d }
            troupe.pipeline { prompts-per-step = 2, group-size = 2, generator-parallelism = 2,
              scorer-deadline = 5s, weight-broadcast-timeout = 20s, generate-timeout = 60s, reference-timeout = 60s }
            troupe.sampling.max-new-tokens = 6
            troupe.checkpoint.every-n-steps = 5
            # several chunks per snapshot, so the chunked transfer is exercised
            troupe.learner.weight-chunk-size = 64k
            # the held-out table a learner node ends with, on a few prompts
            troupe.run.heldout-prompts = 8
            # Control's bearer token (the learner node serves gRPC and the dashboard by default)
            troupe.grpc.token = "it-token"
            """;

    /** Kept when a test fails: the node logs, configs and run folder are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    static void startWorkers(TestCluster c) throws Exception {
        c.start("generator-a", "generator", List.of());
        c.start("generator-b", "generator", List.of());
        c.start("reward", "reward", List.of());
        c.start("reference", "reference", List.of());
    }

    /** No batch id trained twice, and every id up to the last one admitted is trained, stale or lost. */
    static void assertLedgerConsistent(TestCluster c, long steps) {
        Set<Long> trained = new HashSet<>();
        Set<Long> seen = new HashSet<>();
        long max = 0;
        for (String[] l : c.ledger()) {
            long id = Long.parseLong(l[1]);
            assertTrue(seen.add(id), "batch " + id + " settled twice: " + String.join(" ", l));
            if (l[0].equals("trained")) {
                trained.add(id);
            }
            max = Math.max(max, id);
        }
        assertEquals(steps, trained.size(), "trained batches");
        for (long id = 1; id <= max; id++) {
            assertTrue(seen.contains(id), "batch " + id + " neither trained nor reported lost/stale");
        }
    }

    /**
     * Every role on its own JVM, and the run is as whole as `troupe run`: Watch, Control and the
     * dashboard on the learner node while it trains, the progress line, then final/ and the
     * held-out table.
     */
    @Test
    @Timeout(180)
    void fiveNodeRunTrainsEveryStepOnceServesWhileTrainingAndEndsWithAWholeRun() throws Exception {
        try (TestCluster c = new TestCluster(dir, RUN.formatted(6))) {
            JvmProcess learner = c.start("learner", "learner", List.of());
            // The servers bind as the learner node starts, before any role node has joined.
            c.await("the learner node's servers", Duration.ofSeconds(60),
                    () -> learner.output().contains("dashboard  http://"));
            LearnerServers.checkDuringTheRun(learner, "it-token", 6, () -> startWorkers(c));
            assertEquals(0, learner.awaitExit(Duration.ofSeconds(150)), c.logs());
            String out = learner.output();
            assertTrue(out.contains("finished: 6 steps"), out);
            // the progress line of `troupe run` (every 5th and the last step when not on a terminal)
            assertTrue(out.contains("step 5/6  correctness ") && out.contains("step 6/6  correctness "), out);
            Path finalModel = c.runFolder().resolve("final");
            assertTrue(out.contains("model      " + finalModel), out);
            assertTrue(Files.isRegularFile(finalModel.resolve("config.json"))
                    && Files.isRegularFile(finalModel.resolve("model.safetensors")), "final/ is an HF folder");
            assertTrue(out.contains("held-out (8 prompts)") && out.contains("accuracy, greedy"), out);
            assertEquals(6, c.events().size(), c.logs());
            assertLedgerConsistent(c, 6);
            assertTrue(c.events().get(5).contains("\"weightBroadcastMillis\""), c.events().get(5));
            // the batches came over the bulk channel, not inside Artery replies
            assertTrue(List.of("generator-a", "generator-b").stream().anyMatch(g -> c.node(g).output()
                    .contains("bulk channel listening on 127.0.0.1:")), c.logs());
            // SIGTERM: coordinated shutdown (leave the cluster, stop the system) runs in the JVM's
            // shutdown hook, after which the JVM reports the signal (128 + 15) — well within the
            // phase timeouts, so the node did not hang in a phase.
            assertEquals(143, c.node("generator-a").terminate(Duration.ofSeconds(30)), c.logs());
        }
    }

    /**
     * SIGTERM of a learner node (here hosting every role, one JVM) still prints its summary, which
     * names the shutdown checkpoint, and that checkpoint is a model `troupe eval` reads.
     */
    @Test
    @Timeout(180)
    void aLearnerNodeStoppedBySigtermPrintsItsSummaryAndItsCheckpointIsAModel() throws Exception {
        try (TestCluster c = new TestCluster(dir, RUN.formatted(5000))) {
            JvmProcess node = c.start("learner", "learner,generator,reference,reward", List.of());
            c.await("3 trained steps", Duration.ofSeconds(120), () -> c.trained() >= 3);
            assertEquals(143, node.terminate(Duration.ofSeconds(90)), node.output());
            // stdout's summary lines; the log (stderr, same file) may interleave with them
            Matcher steps = Pattern.compile("finished: (\\d+) steps[^\\n]* \\(stopped by SIGTERM\\)")
                    .matcher(node.output());
            Matcher named = Pattern.compile("\\ncheckpoint (\\S+) \\(troupe eval").matcher(node.output());
            assertTrue(steps.find() && named.find(), node.output());
            Path checkpoint = Path.of(named.group(1));
            assertEquals(String.format("step-%09d", Long.parseLong(steps.group(1))),
                    checkpoint.getFileName().toString(), "the checkpoint of the last step");
            JvmProcess eval = JvmProcess.start(dir.resolve("eval.log"), "eval", "--model", checkpoint.toString(),
                    "--task", "reverse", "--n", "2");
            assertEquals(0, eval.awaitExit(Duration.ofSeconds(90)), eval.output());
            assertTrue(eval.output().contains("model " + checkpoint.resolve("model")), eval.output());
        }
    }

    @Test
    @Timeout(240)
    void runSurvivesKilledGeneratorAndReferenceAndUsesTheRestartedReference() throws Exception {
        try (TestCluster c = new TestCluster(dir, RUN.formatted(14))) {
            JvmProcess learner = c.start("learner", "learner", List.of());
            startWorkers(c);
            c.await("3 trained steps", Duration.ofSeconds(120), () -> c.trained() >= 3);
            int mark = learner.output().length(); // the start-up already logged waiting for a reference
            c.node("generator-b").kill9();
            c.node("reference").kill9();
            long atKill = c.trained();
            // With no reference node left the run waits and says so (the learner's "waiting: no reference in
            // the cluster", or the pool's "no reference registered" for a request already on its way);
            // it resumes once one rejoins.
            c.await("learner reports waiting for a reference", Duration.ofSeconds(60),
                    () -> learner.output().substring(mark).contains("waiting: no reference"));
            assertTrue(c.trained() <= atKill + 2, "trained without a reference node");
            c.start("reference", "reference", List.of());
            assertEquals(0, learner.awaitExit(Duration.ofSeconds(150)), c.logs());
            assertEquals(14, c.events().size(), c.logs());
            assertLedgerConsistent(c, 14);
        }
    }
}
