package troupe.core.model.hf;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built-in tokenizer of the tiny demo models: one token per UTF-8 byte (ids 0–255) plus
 * BOS = 256, EOS = 257, PAD = 258 (vocab 259).
 *
 * <p>{@link #save} writes an equivalent Hugging Face {@code tokenizer.json}: a byte-level BPE with
 * no merges whose vocabulary maps GPT-2's byte→unicode alphabet to the byte value, and the three
 * specials as added tokens, so {@code transformers} and DJL's tokenizer read the folder too.
 */
public final class ByteTokenizer implements TextTokenizer {

    /** Number of byte tokens. */
    public static final int BYTES = 256;
    public static final int BOS = 256;
    public static final int EOS = 257;
    public static final int PAD = 258;
    /** Vocabulary size: bytes + BOS/EOS/PAD. */
    public static final int VOCAB = 259;
    /** Value of {@link TokenizerIo#KIND_KEY} for this tokenizer. */
    public static final String KIND = "byte";

    static final String[] SPECIALS = {"<|bos|>", "<|eos|>", "<|pad|>"};

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            if (id >= 0 && id < BYTES) {
                out.write(id);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int bosId() {
        return BOS;
    }

    @Override
    public int eosId() {
        return EOS;
    }

    @Override
    public int padId() {
        return PAD;
    }

    @Override
    public void save(Path dir) throws IOException {
        Files.writeString(dir.resolve(TokenizerIo.TOKENIZER_JSON),
                new GsonBuilder().setPrettyPrinting().create().toJson(hfTokenizerJson()));
        TokenizerIo.writeKind(dir, KIND);
    }

    /** HF tokenizers' JSON for this vocabulary (ByteLevel pre-tokenizer and decoder, BPE, no merges). */
    static JsonObject hfTokenizerJson() {
        JsonObject j = new JsonObject();
        j.addProperty("version", "1.0");
        j.add("truncation", JsonNull.INSTANCE);
        j.add("padding", JsonNull.INSTANCE);
        JsonArray added = new JsonArray();
        for (int i = 0; i < SPECIALS.length; i++) {
            JsonObject t = new JsonObject();
            t.addProperty("id", BYTES + i);
            t.addProperty("content", SPECIALS[i]);
            t.addProperty("single_word", false);
            t.addProperty("lstrip", false);
            t.addProperty("rstrip", false);
            t.addProperty("normalized", false);
            t.addProperty("special", true);
            added.add(t);
        }
        j.add("added_tokens", added);
        j.add("normalizer", JsonNull.INSTANCE);
        JsonObject byteLevel = new JsonObject();
        byteLevel.addProperty("type", "ByteLevel");
        byteLevel.addProperty("add_prefix_space", false);
        byteLevel.addProperty("trim_offsets", true);
        byteLevel.addProperty("use_regex", true);
        j.add("pre_tokenizer", byteLevel);
        j.add("post_processor", JsonNull.INSTANCE);
        j.add("decoder", byteLevel.deepCopy());
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", JsonNull.INSTANCE);
        model.add("unk_token", JsonNull.INSTANCE);
        model.add("continuing_subword_prefix", JsonNull.INSTANCE);
        model.add("end_of_word_suffix", JsonNull.INSTANCE);
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        JsonObject vocab = new JsonObject();
        int[] map = byteToUnicode();
        for (int b = 0; b < BYTES; b++) {
            vocab.addProperty(new String(Character.toChars(map[b])), b);
        }
        model.add("vocab", vocab);
        model.add("merges", new JsonArray());
        j.add("model", model);
        return j;
    }

    /** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to 256 + n. */
    static int[] byteToUnicode() {
        int[] map = new int[BYTES];
        int n = 0;
        for (int b = 0; b < BYTES; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? b : BYTES + n++;
        }
        return map;
    }
}
