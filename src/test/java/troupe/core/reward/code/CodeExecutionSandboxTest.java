package troupe.core.reward.code;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static troupe.core.reward.code.CodeExecutionFixture.sample;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.config.SettingsException;
import troupe.core.reward.ExplainedScorer.Explained;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.SafeScoring;
import troupe.core.reward.ScorerFault;
import troupe.core.reward.ScoringOutcome;

/** What the sandbox keeps from the host: processes, network, files, and the scorer's own health. */
class CodeExecutionSandboxTest {

    @TempDir
    Path work;

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void nothingLeftBehind() throws Exception {
        executor.shutdownNow();
        assertEquals(List.of(), CodeExecutionFixture.sandboxProcesses(), "sandbox processes still running");
    }

    @Test
    void forkBombIsContainedAndKilledWithItsProgram() throws Exception {
        CodeExecutionScorer scorer = CodeExecutionFixture.scorer(work, "processes = 32");
        // children that sleep for 30 s must still be gone when the score is returned
        String counting = "import os, time\nn = 0\ntry:\n    while True:\n        if os.fork() == 0:\n"
                + "            time.sleep(30)\n            os._exit(0)\n        n += 1\nexcept OSError:\n    pass\n";
        String bomb = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n";
        // one at a time: the spinning bomb would starve a neighbour of CPU on a small machine
        assertEquals(List.of(new Explained(1f, "passed 1/1")), scorer.explain(List.of(sample(counting, "assert 0 < n < 32"))));
        assertEquals(List.of(), CodeExecutionFixture.sandboxProcesses());
        assertEquals(List.of(new Explained(0f, "timeout")), scorer.explain(List.of(sample(bomb, "assert True"))));
        assertEquals(List.of(), CodeExecutionFixture.sandboxProcesses());
        assertEquals(0, new ProcessBuilder("true").start().waitFor(), "the host can still start a process");
        assertEquals(List.of(), CodeExecutionFixture.children(work));
    }

    @Test
    void programCannotReachTheHostsNetwork() throws Exception {
        CodeExecutionScorer isolated;
        try {
            isolated = CodeExecutionFixture.scorer(work, "allow-network = false");
        } catch (SettingsException e) {
            assumeTrue(false, "network namespaces are unavailable here: " + e.getMessage());
            return;
        }
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String reach = "import socket\ndef reach():\n    try:\n        socket.create_connection(('127.0.0.1', "
                    + server.getLocalPort() + "), timeout=1).close()\n        return True\n"
                    + "    except OSError:\n        return False\n";
            ScoreInput s = sample(reach, "assert not reach()", "import socket; socket.getaddrinfo('example.com', 80)");
            assertEquals(List.of(new Explained(0.5f, "passed 1/2")), isolated.explain(List.of(s)));
            // the same program with the network allowed reaches the port: the check above can fail
            CodeExecutionScorer open = CodeExecutionFixture.scorer(work, "allow-network = true");
            assertEquals(List.of(new Explained(0f, "passed 0/1")), open.explain(List.of(sample(reach, "assert not reach()"))));
        }
    }

    @Test
    void eachSampleRunsInAFreshDirectoryThatIsDeletedAfterwards() throws Exception {
        String leak = "troupe-leak-" + java.util.UUID.randomUUID();
        String write = "import os\nopen('mark', 'w').write('1')\nos.mkdir('sub')\nos.chmod('sub', 0)\n"
                + "for d in ('/tmp', '/dev/shm'):\n    open(os.path.join(d, '" + leak + "'), 'w').write('x')\n";
        // as root the program runs as a uid of its own; unprivileged, as root of a user namespace
        List<String> tests = List.of("import os; assert sorted(os.listdir('.')) == ['mark', 'sub']",
                "import os; assert os.getcwd().startswith('" + work + "/troupe-code-')",
                "import os; assert open(os.path.join(os.getcwd(), 'mark')).read() == '1'",
                "import os; assert os.getuid() " + (SandboxProbe.isRoot() ? "!=" : "==") + " 0",
                "import os; assert os.path.exists('/tmp/" + leak + "')");
        ScoreInput s = sample(write, tests.toArray(String[]::new));
        List<Explained> e = CodeExecutionFixture.scorer(work, "").explain(List.of(s, s, s));
        assertEquals(Collections.nCopies(3, new Explained(1f, "passed 5/5")), e);
        assertEquals(List.of(), CodeExecutionFixture.children(work), "temporary directories left behind");
        assertTrue(Files.notExists(Path.of("/tmp", leak)) && Files.notExists(Path.of("/dev/shm", leak)),
                "a file the program wrote to /tmp or /dev/shm outlived it");
    }

    @Test
    void directoryTreeDeeperThanAPathCanNameIsStillRemoved() throws Exception { // 200 × 41 chars > PATH_MAX
        String deep = "import os\nfor i in range(200):\n    os.mkdir('d' * 40)\n    os.chdir('d' * 40)\nok = True\n";
        List<Explained> e = CodeExecutionFixture.scorer(work, "").explain(List.of(sample(deep, "assert ok")));
        assertEquals(List.of(new Explained(1f, "passed 1/1")), e);
        assertEquals(List.of(), CodeExecutionFixture.children(work), "temporary directories left behind");
    }

    /**
     * A run whose policy keeps timing out does not quarantine the code-execution scorer: with 12
     * infinite loops, 2 at a time and 1 s each, a batch would take 6 s; the 2 s batch budget
     * shortens each run instead, so every batch is scored (zeros) within the 4 s scorer deadline
     * the pipeline would give it, three batches running (troupe.pipeline.quarantine-after = 3).
     */
    @Test
    void batchesOfTimeoutsAreScoredWithinTheDeadlineSoTheScorerIsNeverQuarantined() throws Exception {
        CodeExecutionScorer scorer = CodeExecutionFixture.scorer(work, "timeout = 1s, batch-budget = 2s");
        List<ScoreInput> loops = Collections.nCopies(12, sample("while True:\n    pass", "assert True"));
        for (int batch = 0; batch < 3; batch++) {
            long t0 = System.nanoTime();
            ScoringOutcome o = SafeScoring.run(scorer, loops, Duration.ofSeconds(4), executor);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            ScoringOutcome.Scored scored = assertInstanceOf(ScoringOutcome.Scored.class, o, () -> "batch fault: " + o);
            assertArrayEquals(new float[12], scored.scores());
            assertTrue(ms < 4000, "batch " + batch + " took " + ms + " ms");
        }
        List<Explained> e = scorer.explain(loops);
        assertTrue(e.stream().allMatch(x -> x.score() == 0f && x.outcome().startsWith("timeout")), e::toString);
        assertEquals(List.of(), CodeExecutionFixture.children(work));
    }

    @Test
    void scoringCancelledAtTheDeadlineKillsItsPrograms() throws Exception {
        CodeExecutionScorer scorer = CodeExecutionFixture.scorer(work, "timeout = 5s, batch-budget = 10s");
        List<ScoreInput> loops = Collections.nCopies(2, sample("while True:\n    pass", "assert True"));
        ScoringOutcome o = SafeScoring.run(scorer, loops, Duration.ofMillis(1500), executor);
        assertEquals(ScorerFault.Kind.DEADLINE, assertInstanceOf(ScoringOutcome.Faulted.class, o).fault().kind());
        long until = System.nanoTime() + 3_000_000_000L; // the interrupted runs clean up on their threads
        while ((!CodeExecutionFixture.sandboxProcesses().isEmpty() || !CodeExecutionFixture.children(work).isEmpty())
                && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), CodeExecutionFixture.sandboxProcesses());
        assertEquals(List.of(), CodeExecutionFixture.children(work));
    }

    @Test
    void interpreterThatDisappearsIsAScorerFaultNotAZero() throws Exception {
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = Files.createDirectory(work.resolve("bin"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path python = Files.createSymbolicLink(bin.resolve("python3"), Path.of("/usr/bin/python3"));
        CodeExecutionScorer scorer = CodeExecutionFixture.scorer(work, "interpreter = \"" + python + "\"");
        Files.delete(python);
        ScoringOutcome o = SafeScoring.run(scorer, List.of(sample("x = 1", "assert x == 1")), Duration.ofSeconds(10),
                executor);
        ScoringOutcome.Faulted f = assertInstanceOf(ScoringOutcome.Faulted.class, o);
        assertEquals(ScorerFault.Kind.EXCEPTION, f.fault().kind());
        assertTrue(f.fault().detail().contains("sandbox failed before the program ran"), f.fault().detail());
    }
}
