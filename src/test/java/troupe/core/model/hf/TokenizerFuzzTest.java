package troupe.core.model.hf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import troupe.core.fuzz.Rejections;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelFormatException;
import troupe.core.model.ModelType;

/**
 * Fuzz target: a model folder's {@code tokenizer.json}, loaded through DJL's native Hugging Face
 * tokenizers, then used once. Troupe reads no {@code tokenizer_config.json} (special ids come
 * from config.json), so there is no target for it.
 */
class TokenizerFuzzTest {
    private static final Path DIR = FuzzFiles.tempDir("fuzz-tok");
    private static final ModelConfig CONFIG =
            new ModelConfig(ModelType.LLAMA, 259, 8, 1, 2, 1, 12, 16, 1e-6, 10000, true, 256, 257, 258);

    @FuzzTest(maxDuration = Rejections.CEILING)
    void loadsOrNamesTheFile(byte[] data) throws Throwable {
        Files.write(DIR.resolve(TokenizerIo.TOKENIZER_JSON), data);
        Rejections.expectOnly(TokenizerIo.TOKENIZER_JSON, () -> {
            TextTokenizer t = TokenizerIo.load(DIR, CONFIG);
            t.decode(t.encode("12+7=19"));
        }, ModelFormatException.class);
    }
}
