package troupe.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @TempDir
    Path dir;

    @Test
    void crashMidSaveLeavesThePreviousCheckpointLoadable() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 3);
        store.save(10, f -> Files.writeString(f.resolve("state.txt"), "ten"));

        IOException crash = assertThrows(IOException.class, () -> store.save(20, f -> {
            Files.writeString(f.resolve("state.txt"), "twen"); // half written ...
            throw new IOException("disk full");                // ... then the process dies
        }));
        assertEquals("disk full", crash.getMessage());

        Path latest = store.latest().orElseThrow();
        assertEquals(10, CheckpointStore.stepOf(latest));
        assertEquals("ten", Files.readString(latest.resolve("state.txt")));
        assertTrue(Files.exists(dir.resolve("step-000000020.tmp")), "the torn write stays aside");

        store.save(30, f -> Files.writeString(f.resolve("state.txt"), "thirty"));
        assertFalse(Files.exists(dir.resolve("step-000000020.tmp")), "next save cleans torn writes");
        assertEquals("thirty", Files.readString(store.latest().orElseThrow().resolve("state.txt")));
    }

    @Test
    void keepsOnlyTheNewestCheckpoints() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2);
        for (long step : new long[] {1, 2, 3, 4}) {
            store.save(step, f -> Files.writeString(f.resolve("s"), Long.toString(step)));
        }
        assertEquals(List.of(3L, 4L), store.complete().stream().map(CheckpointStore::stepOf).toList());
    }

    @Test
    void emptyStoreHasNoLatest() {
        assertTrue(new CheckpointStore(dir.resolve("none"), 1).latest().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(dir, 0));
    }
}
