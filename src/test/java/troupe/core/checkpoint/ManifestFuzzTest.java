package troupe.core.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import troupe.core.fuzz.Rejections;

/**
 * Fuzz target: {@code troupe-manifest.txt} of a learner checkpoint, read the two ways
 * {@code troupe run --resume} reads it: the checkpoint folder named directly
 * ({@link CheckpointStore#resolveResume}: the folder, or {@link IllegalArgumentException} naming
 * it) and the run's checkpoints searched for the newest complete one
 * ({@link CheckpointStore#newestComplete}: every skipped folder reported in a line that names it).
 * The folder holds the files of a real checkpoint (names as {@code troupe run} writes them, small
 * contents so an input costs microseconds); the seeds are a real run's manifest and this folder's own.
 */
class ManifestFuzzTest {
    private static final Path ROOT = checkpoints();
    private static final Path STEP = ROOT.resolve("step-000000020");

    @FuzzTest(maxDuration = Rejections.CEILING)
    void resumesOrNamesTheCheckpoint(byte[] data) throws Throwable {
        Files.write(STEP.resolve(Manifest.FILE), data);
        Rejections.expectOnly(STEP.toString(), () -> {
            if (!CheckpointStore.resolveResume(STEP, line -> { }).equals(STEP)) {
                throw new AssertionError("resume from " + STEP + " picked another folder");
            }
        }, IllegalArgumentException.class);
        List<String> skipped = new ArrayList<>();
        Optional<Path> newest = CheckpointStore.newestComplete(ROOT, skipped::add);
        if (newest.isPresent() == !skipped.isEmpty()) {
            throw new AssertionError("newest " + newest + " but skipped " + skipped);
        }
        for (String line : skipped) {
            if (!line.startsWith("skipping incomplete checkpoint " + STEP + ": ")) {
                throw new AssertionError("skipped line does not name " + STEP + ": " + line);
            }
        }
    }

    /** A run's checkpoints folder with one checkpoint, the files named as a learner checkpoint's. */
    private static Path checkpoints() {
        try {
            Path root = Files.createTempDirectory("fuzz-manifest").resolve("checkpoints");
            Path step = Files.createDirectories(root.resolve("step-000000020"));
            Files.writeString(step.resolve("learner-state.properties"), "step=20\npolicy-version=20\n",
                    StandardCharsets.UTF_8);
            Files.writeString(step.resolve("learner.json"), "{\"step\": 20}", StandardCharsets.UTF_8);
            Files.write(step.resolve("policy.safetensors"), new byte[256]);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
