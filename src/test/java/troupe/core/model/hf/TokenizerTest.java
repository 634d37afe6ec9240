package troupe.core.model.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;

class TokenizerTest {

    @TempDir
    Path dir;

    private static final String TEXT = "Héllo, wörld! 12+3=15\n\t→ ok";

    @Test
    void byteTokenizerRoundTripsUtf8() {
        ByteTokenizer t = new ByteTokenizer();
        int[] ids = t.encode(TEXT);
        assertEquals(TEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, ids.length);
        assertEquals(TEXT, t.decode(ids));
        int[] withSpecials = new int[ids.length + 2];
        withSpecials[0] = ByteTokenizer.BOS;
        System.arraycopy(ids, 0, withSpecials, 1, ids.length);
        withSpecials[ids.length + 1] = ByteTokenizer.EOS;
        assertEquals(TEXT, t.decode(withSpecials), "specials are skipped");
    }

    @Test
    void byteTokenizerJsonLoadsInHuggingFaceTokenizersWithSameIds() throws IOException {
        new ByteTokenizer().save(dir);
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(dir.resolve("tokenizer.json"))
                .optAddSpecialTokens(false).build()) {
            long[] ids = hf.encode(TEXT).getIds();
            int[] mine = new ByteTokenizer().encode(TEXT);
            assertEquals(mine.length, ids.length);
            for (int i = 0; i < ids.length; i++) {
                assertEquals(mine[i], ids[i], "token " + i);
            }
            assertEquals(TEXT, hf.decode(ids));
            assertArrayEquals(new long[] {ByteTokenizer.EOS}, hf.encode("<|eos|>").getIds());
        }
        ModelConfig cfg = ModelConfig.demo(ModelType.LLAMA, ByteTokenizer.VOCAB, 256, 257, 258);
        try (TextTokenizer t = TokenizerIo.load(dir, cfg)) {
            assertInstanceOf(ByteTokenizer.class, t, "the folder records the byte tokenizer");
        }
    }

    @Test
    void wordLevelTokenizerJsonRoundTripsThroughAFolder() throws IOException {
        String json = """
            {"version": "1.0", "truncation": null, "padding": null,
             "added_tokens": [{"id": 0, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false,
                               "normalized": false, "special": true}],
             "normalizer": null,
             "pre_tokenizer": {"type": "Whitespace"},
             "post_processor": null,
             "decoder": null,
             "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "the": 1, "cat": 2, "sat": 3, ".": 4},
                       "unk_token": "[UNK]"}}
            """;
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("tokenizer.json"), json);
        ModelConfig cfg = ModelConfig.demo(ModelType.GPT2, 5, -1, 4, -1);
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        try (TextTokenizer t = TokenizerIo.load(src, cfg)) {
            assertArrayEquals(new int[] {1, 2, 3, 0, 4}, t.encode("the cat sat dog ."));
            t.save(out);
        }
        assertEquals(json, Files.readString(out.resolve("tokenizer.json")));
        try (TextTokenizer t = TokenizerIo.load(out, cfg)) {
            assertInstanceOf(HfTokenizer.class, t);
            assertArrayEquals(new int[] {1, 2, 3}, t.encode("the cat sat"));
            assertEquals(4, t.eosId());
        }
    }
}
