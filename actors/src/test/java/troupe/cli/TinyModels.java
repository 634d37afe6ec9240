package troupe.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.hf.HfFolder;

/** A tiny random byte-level llama saved as a Hugging Face folder: seconds to load and train. */
public final class TinyModels {
    private TinyModels() {}

    public static Path save(Path dir, long seed) throws IOException {
        ModelConfig c = ModelConfig.sized(ModelType.LLAMA, ByteTokenizer.VOCAB, 2, 64, 4, 64, ByteTokenizer.BOS,
                ByteTokenizer.EOS, ByteTokenizer.PAD);
        try (NDManager m = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(c, m, seed)) {
            HfFolder.save(dir, lm, new ByteTokenizer());
        }
        return dir;
    }
}
