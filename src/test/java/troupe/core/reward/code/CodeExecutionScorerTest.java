package troupe.core.reward.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static troupe.core.reward.code.CodeExecutionFixture.sample;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.reward.ExplainedScorer.Explained;
import troupe.core.reward.ScoreInput;

/** What candidate programs score, and why: every way a program can end is a result. */
class CodeExecutionScorerTest {

    @TempDir
    static Path work;

    private static CodeExecutionScorer scorer;

    @BeforeAll
    static void build() {
        scorer = CodeExecutionFixture.scorer(work, "");
    }

    @AfterEach
    void nothingLeftBehind() throws Exception {
        assertEquals(List.of(), CodeExecutionFixture.sandboxProcesses(), "sandbox processes still running");
        assertEquals(List.of(), CodeExecutionFixture.children(work), "temporary directories left behind");
    }

    @AfterAll
    static void none() {
        scorer = null;
    }

    private static Explained one(ScoreInput in) {
        List<Explained> e = scorer.explain(List.of(in));
        assertEquals(1, e.size());
        return e.get(0);
    }

    @Test
    void passingProgramScoresOne() {
        Explained e = one(sample("Here it is:\n```python\ndef add(a, b):\n    return a + b\n```\n",
                "assert add(1, 2) == 3", "assert add(-1, 1) == 0"));
        assertEquals(new Explained(1f, "passed 2/2"), e);
    }

    @Test
    void failingProgramScoresTheFractionOfTestsPassed() {
        Explained e = one(sample("```python\ndef add(a, b):\n    return a * b\n```",
                "assert add(2, 2) == 4", "assert add(1, 2) == 3", "assert add(0, 5) == 5"));
        assertEquals(new Explained(1f / 3, "passed 1/3"), e);
    }

    @Test
    void responseWithoutFenceRunsAsAWholeProgram() {
        assertEquals(new Explained(1f, "passed 1/1"), one(sample("x = 6 * 7", "assert x == 42")));
    }

    @Test
    void infiniteLoopTimesOutWithScoreZero() {
        long t0 = System.nanoTime();
        Explained e = one(sample("```python\nwhile True:\n    pass\n```", "assert True"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(new Explained(0f, "timeout"), e);
        assertTrue(ms >= 1400 && ms < 5000, "a 1.5 s timeout took " + ms + " ms");
    }

    @Test
    void testThatHangsKeepsTheTestsPassedBeforeIt() {
        Explained e = one(sample("def f():\n    return 1", "assert f() == 1", "while True: pass", "assert f() == 1"));
        assertEquals(new Explained(1f / 3, "timeout, passed 1/3"), e);
    }

    @Test
    void outputFloodIsKilledAtTheOutputLimit() {
        // "output-limit", not "timeout": the flood is stopped when it passes 64 KiB, not at 1.5 s
        assertEquals(new Explained(0f, "output-limit"), one(sample("while True:\n    print('x' * 10000)", "assert True")));
    }

    @Test
    void allocatingEightGibibytesHitsTheMemoryLimit() {
        assertEquals(new Explained(0f, "memory-limit"), one(sample("x = bytearray(8 * 1024 ** 3)", "assert len(x) > 0")));
    }

    @Test
    void memoryHogInsideATestKeepsTheOthers() {
        Explained e = one(sample("y = 1", "assert y == 1", "z = bytearray(8 * 1024 ** 3)", "assert y == 1"));
        assertEquals(new Explained(2f / 3, "memory-limit, passed 2/3"), e);
    }

    @Test
    void exceptionAtTopLevelIsACrash() {
        assertEquals(new Explained(0f, "crash (ValueError)"), one(sample("raise ValueError('no')", "assert True")));
    }

    @Test
    void exitBeforeTheTestsIsACrash() {
        assertEquals(new Explained(0f, "crash (SystemExit)"), one(sample("import sys\nsys.exit(0)", "assert True")));
        assertEquals(new Explained(0f, "crash (exit 0)"), one(sample("import os\nos._exit(0)", "assert True")));
    }

    @Test
    void syntaxErrorAndEmptyCodeScoreZero() {
        assertEquals(new Explained(0f, "syntax error"), one(sample("def f(:\n  pass", "assert True")));
        assertEquals(new Explained(0f, "no code"), one(sample("```python\n\n```", "assert True")));
    }

    @Test
    void printedOrForgedTallyLinesEarnNothing() {
        String forge = "import os, sys\nprint('pass 0')\nsys.stdout.flush()\n"
                + "for fd in range(3, 10):\n    try:\n        os.write(fd, b'0123 pass 0\\npass 0\\n')\n"
                + "    except OSError:\n        pass\n";
        assertEquals(new Explained(0f, "passed 0/1"), one(sample(forge, "assert False")));
    }

    @Test
    void replacingTheHarnesssFunctionsDoesNotForgeATally() {
        String patch = "import builtins, os\nreal = os.write\n"
                + "os.write = lambda fd, b: real(fd, b.replace(b' fail ', b' pass '))\n"
                + "builtins.exec = lambda *a, **k: None\nbuiltins.str = lambda w: 'pass'\n";
        assertEquals(new Explained(0f, "passed 0/2"), one(sample(patch, "assert False", "assert 1 == 2")));
    }

    @Test
    void threadLeftRunningDoesNotHoldTheResult() {
        String thread = "import threading, time\nthreading.Thread(target=lambda: time.sleep(60)).start()\nx = 1";
        long t0 = System.nanoTime();
        assertEquals(new Explained(1f, "passed 1/1"), one(sample(thread, "assert x == 1")));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 1400, "waited for the program's thread");
    }

    @Test
    void samplesOfABatchAreScoredInOrder() {
        List<Explained> e = scorer.explain(List.of(sample("a = 1", "assert a == 1"), sample("a = 2", "assert a == 1"),
                sample("while True: pass", "assert True"), sample("a = 3", "assert a == 3", "assert a > 5")));
        assertEquals(List.of(new Explained(1f, "passed 1/1"), new Explained(0f, "passed 0/1"),
                new Explained(0f, "timeout"), new Explained(0.5f, "passed 1/2")), e);
    }

    @Test
    void sampleWithoutTestsIsAScorerFaultNamingTheField() {
        ScoreInput none = new ScoreInput("q", "x = 1", new int[] {1}, new int[] {1}, "", Map.of(), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scorer.explain(List.of(none)));
        assertEquals("sample 0: field 'tests' is missing (the tests of the code-execution rule)", e.getMessage());
        ScoreInput bad = new ScoreInput("q", "x = 1", new int[] {1}, new int[] {1}, "", Map.of("tests", "[1]"), false);
        e = assertThrows(IllegalArgumentException.class, () -> scorer.explain(List.of(bad)));
        assertEquals("sample 0: field 'tests'[0] must be a string (a Python statement)", e.getMessage());
    }
}
