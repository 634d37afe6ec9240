package troupe.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {

    @TempDir
    Path dir;

    private CheckpointStore twoCheckpoints() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 5);
        store.save(1, f -> Files.write(f.resolve("weights.bin"), new byte[4096]));
        store.save(2, f -> {
            Files.write(f.resolve("weights.bin"), new byte[4096]);
            Files.createDirectories(f.resolve("sub"));
            Files.writeString(f.resolve("sub/state.json"), "{\"step\": 2}");
        });
        return store;
    }

    @Test
    void resumeSkipsATruncatedCheckpointAndNamesIt() throws IOException {
        twoCheckpoints();
        Path two = dir.resolve("step-000000002");
        try (FileChannel ch = FileChannel.open(two.resolve("weights.bin"), StandardOpenOption.WRITE)) {
            ch.truncate(1000);
        }
        List<String> skipped = new ArrayList<>();
        assertEquals(dir.resolve("step-000000001"), CheckpointStore.resolveResume(dir, skipped::add));
        assertEquals(List.of("skipping incomplete checkpoint " + two
                + ": weights.bin has 1000 bytes, troupe-manifest.txt says 4096 (truncated)"), skipped);
    }

    @Test
    void resumeSkipsABitFlippedCheckpointAndNamesTheFile() throws IOException {
        twoCheckpoints();
        Path state = dir.resolve("step-000000002/sub/state.json");
        byte[] b = Files.readAllBytes(state);
        b[3] ^= 0x01;
        Files.write(state, b);
        List<String> skipped = new ArrayList<>();
        assertEquals(dir.resolve("step-000000001"), CheckpointStore.resolveResume(dir, skipped::add));
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).contains("step-000000002: sub/state.json is corrupt (crc32c "), skipped.get(0));
    }

    @Test
    void aCheckpointWithoutManifestIsNeverLoaded() throws IOException {
        twoCheckpoints();
        Files.delete(dir.resolve("step-000000002").resolve(Manifest.FILE));
        Files.delete(dir.resolve("step-000000001/weights.bin"));
        List<String> skipped = new ArrayList<>();
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> CheckpointStore.resolveResume(dir, skipped::add));
        assertEquals("no complete checkpoint in " + dir, none.getMessage());
        assertEquals(List.of(
                "skipping incomplete checkpoint " + dir.resolve("step-000000002")
                        + ": no troupe-manifest.txt (written before checksums, or damaged)",
                "skipping incomplete checkpoint " + dir.resolve("step-000000001")
                        + ": weights.bin is listed in troupe-manifest.txt but missing"), skipped);
    }

    @Test
    void resumingFromACorruptCheckpointFolderNamesIt() throws IOException {
        twoCheckpoints();
        Path two = dir.resolve("step-000000002");
        Files.write(two.resolve("weights.bin"), new byte[4097]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointStore.resolveResume(two, s -> { }));
        assertEquals("checkpoint " + two + ": weights.bin has 4097 bytes, troupe-manifest.txt says 4096;"
                + " resume from its run folder to take the newest complete one", e.getMessage());
        assertEquals(dir.resolve("step-000000001"), CheckpointStore.resolveResume(dir.resolve("step-000000001"),
                s -> { }));
    }

    @Test
    void runFolderResumeLooksInItsCheckpointsFolder() throws IOException {
        Path run = dir.resolve("run-1");
        new CheckpointStore(run.resolve("checkpoints"), 2).save(7, f -> Files.writeString(f.resolve("a"), "x"));
        assertEquals(run.resolve("checkpoints/step-000000007"), CheckpointStore.resolveResume(run, s -> { }));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CheckpointStore.resolveResume(dir.resolve("nope"), s -> { }));
        assertEquals("no such folder " + dir.resolve("nope"), missing.getMessage());
    }

    @Test
    void manifestListsSizeAndCrcOfEveryFile() throws IOException {
        Files.writeString(dir.resolve("a.txt"), "123456789"); // CRC32C check value of "123456789" is e3069283
        Manifest.write(dir);
        assertEquals("troupe-manifest 1\ne3069283 9 a.txt\n", Files.readString(dir.resolve(Manifest.FILE)));
        assertEquals(Optional.empty(), Manifest.problem(dir));
    }

    @Test
    void malformedManifestsAreRejectedNamingTheLine() {
        assertEquals("line 1: expected 'troupe-manifest 1'",
                assertThrows(IllegalArgumentException.class, () -> Manifest.parse("nope\n")).getMessage());
        assertEquals("line 2: expected '<crc32c hex> <size> <path>'",
                assertThrows(IllegalArgumentException.class, () -> Manifest.parse("troupe-manifest 1\nzz 1 a\n"))
                        .getMessage());
        for (String path : List.of("../x", "/etc/passwd", "a//b", "a/./b", "troupe-manifest.txt")) {
            assertEquals("line 2: path '" + path + "' leaves the folder", assertThrows(IllegalArgumentException.class,
                    () -> Manifest.parse("troupe-manifest 1\n00000000 1 " + path + "\n")).getMessage());
        }
        assertEquals("line 3: 'a' listed twice", assertThrows(IllegalArgumentException.class,
                () -> Manifest.parse("troupe-manifest 1\n00000000 1 a\n00000000 1 a\n")).getMessage());
    }

    @Test
    void anInterruptedExportIsRolledForwardOnlyWhenItsStagingIsComplete() throws IOException {
        AtomicFolder.write(dir, s -> Files.writeString(s.resolve("w"), "old"));
        // a crash after staging a complete set, before it moved in: the next load finishes the commit
        Path staging = dir.resolve(AtomicFolder.STAGING);
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("w"), "new");
        Manifest.write(staging);
        AtomicFolder.recover(dir);
        assertEquals("new", Files.readString(dir.resolve("w")));
        assertTrue(Files.notExists(staging));
        // a crash while staging (no manifest yet): the staged files are dropped, the folder keeps its own
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("w"), "half");
        AtomicFolder.recover(dir);
        assertEquals("new", Files.readString(dir.resolve("w")));
        assertTrue(Files.notExists(staging));
        Files.writeString(dir.resolve("w"), "nex");
        IncompleteFolderException e = assertThrows(IncompleteFolderException.class, () -> Manifest.verify(dir));
        assertTrue(e.getMessage().startsWith(dir + ": w is corrupt (crc32c "), e.getMessage());
    }
}
