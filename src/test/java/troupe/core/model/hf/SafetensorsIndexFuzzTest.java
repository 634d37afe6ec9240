package troupe.core.model.hf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import troupe.core.fuzz.Rejections;
import troupe.core.model.ModelFormatException;

/**
 * Fuzz target: {@code model.safetensors.index.json} of a sharded folder, next to one valid shard
 * ({@code a.safetensors}); shard names in the index may point anywhere.
 */
class SafetensorsIndexFuzzTest {
    private static final Path DIR = shardedFolder();

    @FuzzTest(maxDuration = Rejections.CEILING)
    void readsOrNamesTheIndex(byte[] data) throws Throwable {
        Files.write(DIR.resolve(HfFolder.INDEX), data);
        Rejections.expectOnly(DIR.toString(), () -> HfFolder.headers(DIR), ModelFormatException.class);
    }

    private static Path shardedFolder() {
        Path dir = FuzzFiles.tempDir("fuzz-index");
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("model.norm.weight", new Safetensors.Tensor(new long[] {2}, new float[] {1, 2}));
        try (OutputStream out = Files.newOutputStream(dir.resolve("a.safetensors"))) {
            Safetensors.write(out, t, Map.of());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }
}
