package troupe.core.reward.rm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreferenceDataTest {

    @TempDir
    Path dir;

    @Test
    void readsPairsAndSkipsBlankLines() throws IOException {
        Path f = dir.resolve("p.jsonl");
        Files.writeString(f, "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}\n\n"
                + "{\"prompt\":\"r\",\"chosen\":\"c\",\"rejected\":\"d\"}\n");
        assertEquals(new PreferenceData.Pair("r", "c", "d"), PreferenceData.read(f).get(1));
    }

    @Test
    void badLineNamesFileAndLine() throws IOException {
        Path f = dir.resolve("p.jsonl");
        Files.writeString(f, "{\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}\n\n{\"prompt\":\"q\",\"chosen\":\"a\"}\n");
        PreferenceData.FormatException e = assertThrows(PreferenceData.FormatException.class, () -> PreferenceData.read(f));
        assertTrue(e.getMessage().startsWith(f + ":3: field 'rejected'"), e.getMessage());
    }
}
