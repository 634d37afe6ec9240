package troupe.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests ManifestFuzzTest found crashing the resume path, now rejected naming the checkpoint and the line. */
class ManifestFuzzFindingsTest {
    /** The fuzzer's input after 11 runs: the seed manifest with five NUL bytes inside a file name. */
    private static final String NUL_IN_NAME = "troupe-manifest 1\n"
            + "eb23efb3 26 learner-state\0\0\0\0\0.properties\n"
            + "132aaae4 12 learner.json\n";

    @TempDir
    Path dir;

    private Path checkpointWithManifest(String manifest) throws IOException {
        Path step = Files.createDirectories(dir.resolve("checkpoints/step-000000020"));
        Files.writeString(step.resolve("learner.json"), "{\"step\": 20}", StandardCharsets.UTF_8);
        Files.writeString(step.resolve(Manifest.FILE), manifest, StandardCharsets.UTF_8);
        return step;
    }

    @Test
    void aNulByteInAFileNameIsAMalformedLineNotAnInvalidPathException() throws IOException {
        Path step = checkpointWithManifest(NUL_IN_NAME);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointStore.resolveResume(step, line -> { }));
        assertEquals("checkpoint " + step + ": troupe-manifest.txt line 2: path 'learner-state?????.properties'"
                + " is not a file name on this system; resume from its run folder to take the newest complete one",
                e.getMessage());
    }

    @Test
    void aRunFolderResumeSkipsTheCheckpointAndNamesIt() throws IOException {
        Path step = checkpointWithManifest(NUL_IN_NAME);
        List<String> skipped = new ArrayList<>();
        assertEquals(Optional.empty(), CheckpointStore.newestComplete(dir.resolve("checkpoints"), skipped::add));
        assertEquals(List.of("skipping incomplete checkpoint " + step + ": troupe-manifest.txt line 2: path "
                + "'learner-state?????.properties' is not a file name on this system"), skipped);
    }
}
