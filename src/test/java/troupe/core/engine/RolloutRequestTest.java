package troupe.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.rl.PolicyRolloutEngine;
import troupe.core.rl.TaskPromptSource;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.SamplingParams;
import troupe.core.task.TaskRegistry;

class RolloutRequestTest {
    private static final ModelConfig CONFIG = ModelConfig.sized(ModelType.LLAMA, ByteTokenizer.VOCAB, 1, 16, 2, 16,
            ByteTokenizer.BOS, ByteTokenizer.EOS, ByteTokenizer.PAD);
    private static final SamplingParams SAMPLING = new SamplingParams(1f, 0, 1f, 4, 11, false, 1f);

    @Test
    void aBatchThatDoesNotAnswerItsRequestSaysHow() {
        try (NDManager manager = NDManager.newBaseManager();
                PolicyRolloutEngine engine = new PolicyRolloutEngine(CausalLms.random(CONFIG, manager, 5),
                        new ByteTokenizer(), manager, 0, "")) {
            List<Prompt> prompts = new TaskPromptSource(TaskRegistry.create("reverse", ConfigFactory.empty()),
                    new ByteTokenizer(), 3, 64).next(2);
            RolloutRequest request = new RolloutRequest("run", 7, prompts, 2, SAMPLING);
            RolloutBatch batch = engine.generate(request);
            assertEquals(Optional.empty(), request.mismatch(batch, 0));
            assertEquals(Optional.of("4 samples for 6 requested"),
                    new RolloutRequest("run", 7, prompts, 3, SAMPLING).mismatch(batch, 0));
            assertEquals(Optional.of("batch id 7 for 8"),
                    new RolloutRequest("run", 8, prompts, 2, SAMPLING).mismatch(batch, 0));
            assertEquals(Optional.of("policy version 0 but 1 is loaded"), request.mismatch(batch, 1));
        }
    }
}
