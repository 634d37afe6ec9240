package troupe.core.rl;

import java.io.IOException;
import java.nio.file.Path;
import troupe.core.model.hf.TextTokenizer;

/** A learner engine whose current policy can be written as a Hugging Face folder (a run's final model). */
public interface ModelExporter {

    /** Writes config.json, model.safetensors and the tokenizer into {@code dir} (what `troupe generate --model` reads). */
    void saveModel(Path dir, TextTokenizer tokenizer) throws IOException;
}
