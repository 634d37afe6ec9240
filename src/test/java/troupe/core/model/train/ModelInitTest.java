package troupe.core.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.hf.HfFolder;

class ModelInitTest {

    @TempDir
    Path dir;

    @Test
    void demoIsTheDemoConfigWithTheByteTokenizer() {
        ModelConfig demo = ModelConfig.demo(ModelType.LLAMA, ByteTokenizer.VOCAB, ByteTokenizer.BOS, ByteTokenizer.EOS,
                ByteTokenizer.PAD);
        assertEquals(demo, ModelInit.parse("demo").config());
        assertEquals("llama-4x128h4", ModelInit.parse("demo").spec());
    }

    @Test
    void specNamesLayoutDepthWidthAndHeads() {
        ModelInit init = ModelInit.parse("qwen2-2x64h2");
        assertEquals(new ModelInit(ModelType.QWEN2, 2, 64, 2), init);
        assertEquals(init, ModelInit.parse(init.spec()));
        assertEquals(1, init.config().numKvHeads(), "kv heads = heads / 2");
        assertEquals(3, ModelInit.parse("gpt2-1x96").heads(), "default head width 32");
    }

    @Test
    void malformedSpecFailsWithTheGrammar() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelInit.parse("big"));
        assertTrue(e.getMessage().contains("TYPE-LxD[hH]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelInit.parse("llama-2x64h3"), "64 not divisible by 3");
    }

    @Test
    void sameSeedWritesTheSameBytes() throws IOException {
        ModelInit init = ModelInit.parse("llama-1x32h2");
        init.write(dir.resolve("a"), 7);
        init.write(dir.resolve("b"), 7);
        init.write(dir.resolve("c"), 8);
        byte[] a = Files.readAllBytes(dir.resolve("a").resolve(HfFolder.WEIGHTS));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b").resolve(HfFolder.WEIGHTS)));
        assertTrue(!java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c").resolve(HfFolder.WEIGHTS))));
        assertEquals(init.config(), HfFolder.readConfig(dir.resolve("a")));
    }
}
