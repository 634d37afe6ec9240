package troupe.core.rl;

import java.io.IOException;
import java.nio.file.Path;
import troupe.core.engine.LearnerEngine;
import troupe.core.model.hf.TextTokenizer;

/**
 * What callers do with a learner engine besides training it: export its policy, and end it. Engines
 * are built by their algorithm ({@link LearnerAlgorithm#engine}, through {@link LearnerAlgorithm#REGISTRY}).
 */
public final class LearnerEngines {

    private LearnerEngines() {}

    /** Writes the engine's current policy as a Hugging Face folder. */
    public static void saveModel(LearnerEngine engine, Path dir, TextTokenizer tokenizer) throws IOException {
        if (engine instanceof ModelExporter e) {
            e.saveModel(dir, tokenizer);
        } else {
            throw new IllegalArgumentException(engine.getClass().getName() + " cannot export its policy");
        }
    }

    /** Releases the engine's policy and optimizer memory. */
    public static void close(LearnerEngine engine) {
        if (engine instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the learner engine failed", e);
            }
        }
    }
}
