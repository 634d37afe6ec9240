package troupe.core.rl;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import troupe.core.engine.LearnerEngine;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Objective;

/** Builds the learner engine that {@code troupe.learner.algorithm} names, and ends it. */
public final class LearnerEngines {

    private LearnerEngines() {}

    /** @param policy the trainable policy; owned (closed) by the returned engine, see {@link #close} */
    public static LearnerEngine create(LearnerAlgorithm algorithm, TrainablePolicy policy, LearnerSettings settings,
            List<Objective> objectives, NDManager manager) {
        if (algorithm.onlineDpo()) {
            return new OnlineDpoEngine(policy, settings, algorithm.preference(), algorithm.minRewardGap(), objectives,
                    manager);
        }
        return new RlLearnerEngine(policy, settings, objectives, manager);
    }

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
