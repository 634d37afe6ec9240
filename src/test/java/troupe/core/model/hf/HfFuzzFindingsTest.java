package troupe.core.model.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.model.ModelFormatException;

/** Inputs the model-folder fuzz targets found crashing (a bare Gson or JDK exception), now rejected naming the file. */
class HfFuzzFindingsTest {
    @TempDir
    Path dir;

    @Test
    void aConfigJsonThatIsNotAnObjectNamesTheFile() throws Exception {
        Files.writeString(dir.resolve(HfFolder.CONFIG), "null");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfFolder.readConfig(dir));
        assertEquals(dir.resolve(HfFolder.CONFIG) + ": Not a JSON Object: null", e.getMessage());
    }

    @Test
    void aConfigJsonThatIsNotUtf8NamesTheFile() throws Exception {
        Files.write(dir.resolve(HfFolder.CONFIG), new byte[] {'{', (byte) 0xFF, '}'});
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfFolder.readConfig(dir));
        assertEquals(dir.resolve(HfFolder.CONFIG) + ": not valid UTF-8", e.getMessage());
    }

    @Test
    void aSafetensorsHeaderEntryThatIsNotAnObjectNamesTheFile() throws Exception {
        byte[] json = "{\"w\": 3}".getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("model.safetensors");
        Files.write(file, ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).array());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(file));
        assertEquals(file + ": Not a JSON Object: 3", e.getMessage());
    }

    @Test
    void anIndexMayNotPointOutsideItsFolder() throws Exception {
        Files.writeString(dir.resolve(HfFolder.INDEX), "{\"weight_map\": {\"w\": \"../elsewhere.safetensors\"}}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfFolder.readWeights(dir));
        assertEquals(dir.resolve(HfFolder.INDEX) + ": shard '../elsewhere.safetensors' is not a file in " + dir,
                e.getMessage());
    }

    @Test
    void anIndexWithoutAWeightMapNamesTheFile() throws Exception {
        Files.writeString(dir.resolve(HfFolder.INDEX), "{}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfFolder.readWeights(dir));
        assertEquals(dir.resolve(HfFolder.INDEX) + ": no weight_map object", e.getMessage());
    }
}
