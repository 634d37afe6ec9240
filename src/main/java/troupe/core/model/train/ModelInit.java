package troupe.core.model.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.hf.HfFolder;

/**
 * A built-in starting point for training from scratch: a freshly initialised byte-level model
 * (the {@link ByteTokenizer}, vocab 259, context {@value #CONTEXT}) named by an init spec.
 *
 * <p>Spec grammar: {@code demo} (= {@code llama-4x128h4}, {@link ModelConfig#demo}) or
 * {@code TYPE-LxD[hH]} with TYPE ∈ {llama, qwen2, gpt2}, L layers, width D and H heads (default
 * D/32, at least 1), e.g. {@code llama-2x64h2}. Other shape rules are {@link ModelConfig#sized}'s.
 * Parameters ≈ V·D + L·(4D² + 3·D·F) for Llama layouts (F ≈ 8/3·D, tied embeddings).
 *
 * @param type layout
 * @param layers transformer blocks L
 * @param hidden width D
 * @param heads attention heads H
 */
public record ModelInit(ModelType type, int layers, int hidden, int heads) {

    /** The spec of {@link ModelConfig#demo}. */
    public static final String DEMO = "demo";
    /** Context length of every init spec (that of {@link ModelConfig#demo}). */
    public static final int CONTEXT = 256;
    /** Default head width when a spec gives no head count. */
    private static final int DEFAULT_HEAD_DIM = 32;
    private static final Pattern SPEC = Pattern.compile("([a-z0-9]+)-(\\d+)x(\\d+)(?:h(\\d+))?");

    /** Parses a spec; a malformed one fails with the grammar and an example. */
    public static ModelInit parse(String spec) {
        if (spec.equals(DEMO)) {
            return new ModelInit(ModelType.LLAMA, 4, 128, 4);
        }
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad init spec '" + spec + "'; expected 'demo' or TYPE-LxD[hH], e.g. "
                    + "llama-2x64h2 (TYPE one of " + ModelType.supported() + ")");
        }
        int hidden = Integer.parseInt(m.group(3));
        int heads = m.group(4) != null ? Integer.parseInt(m.group(4)) : Math.max(1, hidden / DEFAULT_HEAD_DIM);
        ModelInit init = new ModelInit(ModelType.fromHfName(m.group(1)), Integer.parseInt(m.group(2)), hidden, heads);
        init.config(); // validates the shape now, with ModelConfig's messages
        return init;
    }

    /** The spec string that parses back to this value. */
    public String spec() {
        return type.hfName() + "-" + layers + "x" + hidden + "h" + heads;
    }

    public ModelConfig config() {
        return ModelConfig.sized(type, ByteTokenizer.VOCAB, layers, hidden, heads, CONTEXT, ByteTokenizer.BOS,
                ByteTokenizer.EOS, ByteTokenizer.PAD);
    }

    /** A fresh model, N(0, 0.02²) weights from {@code seed} ({@link CausalLms#random}). */
    public CausalLm create(NDManager manager, long seed) {
        return CausalLms.random(config(), manager, seed);
    }

    /** Writes a fresh model and the byte tokenizer as an HF folder; the same seed writes the same bytes. */
    public void write(Path dir, long seed) throws IOException {
        try (NDManager root = NDManager.newBaseManager(); CausalLm lm = create(root, seed)) {
            HfFolder.save(dir, lm, new ByteTokenizer());
        }
    }
}
