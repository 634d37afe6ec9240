package troupe.core.model.hf;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import troupe.core.model.ModelFormatException;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's native tokenizers (offline: the jar bundles
 * the library and a local file needs no download). Special ids come from the model's config.
 */
public final class HfTokenizer implements TextTokenizer {

    private final HuggingFaceTokenizer tokenizer;
    private final Path source;
    private final int bos;
    private final int eos;
    private final int pad;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, Path source, int bos, int eos, int pad) {
        this.tokenizer = tokenizer;
        this.source = source;
        this.bos = bos;
        this.eos = eos;
        this.pad = pad;
    }

    /** Loads {@code file} (a tokenizer.json) without adding special tokens on encode. */
    public static HfTokenizer load(Path file, int bos, int eos, int pad) throws IOException {
        HuggingFaceTokenizer t;
        try {
            t = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .build();
        } catch (RuntimeException e) {
            // The native tokenizers library reports a malformed file as a bare RuntimeException.
            throw new ModelFormatException(file + ": not a tokenizer.json that the tokenizers library reads ("
                    + String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\R\\s*", "; ") + ")");
        }
        return new HfTokenizer(t, file, bos, eos, pad);
    }

    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, true);
    }

    @Override
    public int bosId() {
        return bos;
    }

    @Override
    public int eosId() {
        return eos;
    }

    @Override
    public int padId() {
        return pad;
    }

    /** Copies the original tokenizer.json byte for byte. */
    @Override
    public void save(Path dir) throws IOException {
        Path target = dir.resolve(TokenizerIo.TOKENIZER_JSON);
        if (!Files.isSameFile(source.getParent(), dir)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
        TokenizerIo.writeKind(dir, TokenizerIo.KIND_HF);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
