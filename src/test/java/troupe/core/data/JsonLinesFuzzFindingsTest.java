package troupe.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs the JSONL fuzz targets (SftDataFuzzTest, PreferenceDataFuzzTest) found crashing, now rejected cleanly. */
class JsonLinesFuzzFindingsTest {
    @TempDir
    Path dir;

    @Test
    void bytesThatAreNotUtf8FailNamingFileAndLine() throws Exception {
        Path file = dir.resolve("data.jsonl");
        Files.write(file, new byte[] {'{', '}', '\n', (byte) 0xC3, '\n'});
        JsonLines.BadLine e = assertThrows(JsonLines.BadLine.class, () -> JsonLines.read(file, j -> j));
        assertEquals(file + ":2: invalid UTF-8 at byte 0", e.getMessage());
    }
}
