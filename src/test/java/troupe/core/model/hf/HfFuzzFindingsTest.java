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
        assertEquals(dir.resolve(HfFolder.CONFIG) + ": expected a JSON object, found nothing", e.getMessage());
    }

    @Test
    void aConfigJsonThatIsNotUtf8NamesTheFile() throws Exception {
        Files.write(dir.resolve(HfFolder.CONFIG), new byte[] {'{', (byte) 0xFF, '}'});
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfFolder.readConfig(dir));
        assertEquals(dir.resolve(HfFolder.CONFIG) + ": invalid UTF-8 at byte 1", e.getMessage());
    }

    @Test
    void aSafetensorsHeaderEntryThatIsNotAnObjectNamesTheFile() throws Exception {
        byte[] json = "{\"w\": 3}".getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("model.safetensors");
        Files.write(file, ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).array());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(file));
        assertEquals(file + ": tensor 'w': expected {dtype, shape, data_offsets}, found 3", e.getMessage());
    }

    @Test
    void anIndexMayNotPointOutsideItsFolder() throws Exception {
        Files.writeString(dir.resolve(HfFolder.INDEX), "{\"weight_map\": {\"w\": \"../elsewhere.safetensors\"}}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfFolder.headers(dir));
        assertEquals(dir.resolve(HfFolder.INDEX) + ": weight_map['w'] = '../elsewhere.safetensors' is not a file in the model folder",
                e.getMessage());
    }

    @Test
    void anIndexWithoutAWeightMapNamesTheFile() throws Exception {
        Files.writeString(dir.resolve(HfFolder.INDEX), "{}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfFolder.headers(dir));
        assertEquals(dir.resolve(HfFolder.INDEX) + ": 'weight_map' must be an object of tensor name -> shard file", e.getMessage());
    }

    @Test
    void anUnsupportedModelTypeNamesTheFile() throws Exception {
        Files.writeString(dir.resolve(HfFolder.CONFIG), "{\"model_type\": \"qwen%\"}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfFolder.readConfig(dir));
        assertEquals(dir.resolve(HfFolder.CONFIG) + ": unsupported model_type 'qwen%'; supported: llama, qwen2, gpt2",
                e.getMessage());
    }

    @Test
    void anIndexShardNameThatIsNoPathNamesTheIndex() throws Exception {
        Files.writeString(dir.resolve(HfFolder.INDEX), "{\"weight_map\": {\"w\": \"a\\u0000.safetensors\"}}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfFolder.headers(dir));
        assertEquals(dir.resolve(HfFolder.INDEX) + ": weight_map['w'] = 'a\u0000.safetensors' is not a file in the model folder", e.getMessage());
    }

    /** Before: the native tokenizers library panicked and the JVM aborted ("fatal runtime error"). */
    @Test
    void aTokenizerJsonWithAControlCharacterInAStringIsRejectedBeforeTheNativeLibrarySeesIt() throws Exception {
        Files.writeString(dir.resolve(TokenizerIo.TOKENIZER_JSON), "{\"decoder\": {\"type\": \"Byte\u0001Level\"}}");
        troupe.core.model.ModelConfig config = new troupe.core.model.ModelConfig(troupe.core.model.ModelType.LLAMA,
                259, 8, 1, 2, 1, 12, 16, 1e-6, 10000, true, 256, 257, 258);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TokenizerIo.load(dir, config));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(dir.resolve(TokenizerIo.TOKENIZER_JSON)
                + ": not valid JSON: ") && e.getMessage().contains("Unescaped control characters"), e.getMessage());
    }

    /** Found by the fuzzer in CI: a second value after the object made the strict check itself throw. */
    @Test
    void aTokenizerJsonWithTextAfterTheObjectNamesTheFile() throws Exception {
        Files.writeString(dir.resolve(TokenizerIo.TOKENIZER_JSON), "{\"version\": \"1.0\"}\n}x");
        troupe.core.model.ModelConfig config = new troupe.core.model.ModelConfig(troupe.core.model.ModelType.LLAMA,
                259, 8, 1, 2, 1, 12, 16, 1e-6, 10000, true, 256, 257, 258);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TokenizerIo.load(dir, config));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(dir.resolve(TokenizerIo.TOKENIZER_JSON)
                + ": not valid JSON: "), e.getMessage());
    }
}
