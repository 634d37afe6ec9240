package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftCommandTest {

    @TempDir
    Path dir;

    private Path data(String jsonl) throws IOException {
        Path f = dir.resolve("data.jsonl");
        Files.writeString(f, jsonl);
        return f;
    }

    @Test
    void trainsFromAnInitSpecAndReportsProgressPerStep() throws IOException {
        Path f = data("{\"prompt\": \"1+1=\", \"completion\": \"2\"}\n{\"prompt\": \"2+1=\", \"completion\": \"3\"}\n");
        CliRunner r = CliRunner.run("sft", "--data", f.toString(), "--out", dir.resolve("m").toString(),
                "--init", "llama-1x32h2", "--steps", "4", "--batch", "2", "--log-every", "2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("from fresh llama-1x32h2 (seed 0)"), r.err());
        assertTrue(r.err().contains("step 2/4  loss "), r.err());
        assertTrue(r.err().contains("step 4/4  loss ") && r.err().contains("tok/s  ETA 0s"), r.err());
        assertTrue(!r.err().contains("\r"), "plain lines when stderr is not a terminal");
        assertTrue(r.out().startsWith("trained 4 steps in "), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("m/model.safetensors")));
    }

    @Test
    void continuesFromAModelFolder() throws IOException {
        Path f = data("{\"prompt\": \"a\", \"completion\": \"b\"}\n");
        assertEquals(0, CliRunner.run("sft", "--data", f.toString(), "--out", dir.resolve("m1").toString(),
                "--init", "llama-1x32h2", "--steps", "1", "--batch", "1").status());
        CliRunner r = CliRunner.run("sft", "--data", f.toString(), "--out", dir.resolve("m2").toString(),
                "--model", dir.resolve("m1").toString(), "--steps", "1", "--batch", "1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("from " + dir.resolve("m1")), r.err());
    }

    @Test
    void badDataLineExitsTwoWithFileAndLine() throws IOException {
        Path f = data("{\"prompt\": \"a\", \"completion\": \"b\"}\n{\"prompt\": \"a\"}\n");
        CliRunner r = CliRunner.run("sft", "--data", f.toString(), "--out", dir.resolve("m").toString(),
                "--init", "llama-1x32h2");
        assertEquals(2, r.status());
        assertTrue(r.err().contains(f + ":2: field 'completion' must be a string"), r.err());
    }

    @Test
    void modelAndInitTogetherExitTwo() throws IOException {
        Path f = data("{\"prompt\": \"a\", \"completion\": \"b\"}\n");
        CliRunner r = CliRunner.run("sft", "--data", f.toString(), "--out", dir.resolve("m").toString(),
                "--init", "demo", "--model", dir.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("give --model or --init, not both"), r.err());
        CliRunner bad = CliRunner.run("sft", "--data", f.toString(), "--out", dir.resolve("m").toString(),
                "--init", "huge");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("bad init spec 'huge'"), bad.err());
    }
}
