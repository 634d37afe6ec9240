package troupe.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import troupe.core.model.CausalLm;
import troupe.core.model.KvCache;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.ParameterStore;
import troupe.core.model.hf.ByteTokenizer;

class HeldOutEvalTest {

    /** Always prefers one token: greedy decoding emits it until EOS or the token limit. */
    private record ConstantLm(int token, ModelConfig config) implements CausalLm {
        ConstantLm(int token) {
            this(token, new ModelConfig(ModelType.LLAMA, ByteTokenizer.VOCAB, 2, 1, 1, 1, 2, 4096, 1e-6, 1e4, true,
                    ByteTokenizer.BOS, ByteTokenizer.EOS, ByteTokenizer.PAD));
        }

        @Override
        public ParameterStore parameters() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Output forward(NDArray tokens, NDArray positions, NDArray mask, KvCache cache) {
            float[] z = new float[ByteTokenizer.VOCAB];
            z[token] = 10f;
            long b = tokens.getShape().get(0);
            long t = tokens.getShape().get(1);
            NDArray logits = tokens.getManager().create(z).broadcast(new Shape(b, t, z.length));
            return new Output(logits, logits);
        }

        @Override
        public void close() {
        }
    }

    private static HeldOutEval.Result eval(int token, Task task, int maxNew) {
        HeldOutEval.Settings s = HeldOutEval.Settings.defaults().withCount(60);
        s = s.withSampling(s.sampling().withMaxNewTokens(maxNew));
        try (NDManager m = NDManager.newBaseManager()) {
            return HeldOutEval.run(new ConstantLm(token), new ByteTokenizer(), task, s, m);
        }
    }

    @Test
    void accuracyIsTheShareOfExactAnswers() {
        Task task = new ArithmeticTask(new ArithmeticTask.Settings(1, 1, "+-", 10));
        HeldOutEval.Result r = eval('7', task, 1);
        List<Prompt> prompts = task.heldOutPrompts(0L, 60);
        double sevens = prompts.stream().filter(p -> p.answer().equals("7")).count() / 60.0;
        assertEquals(60, r.count());
        assertEquals(sevens, r.accuracy(), 1e-12);
        assertEquals(1.0, r.meanChars(), 1e-12);
        assertEquals(1.0, r.meanTokens(), 1e-12, "one token, no EOS (truncated)");
    }

    @Test
    void meanScoreKeepsPartialCreditAndLengthCountsEos() {
        Task task = TaskRegistry.create(ReverseTask.NAME,
                com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of("prefix-credit", true)));
        HeldOutEval.Result r = eval('a', task, 1);
        double expected = task.heldOutPrompts(0L, 60).stream()
                .mapToDouble(p -> p.answer().startsWith("a") ? 1.0 / p.answer().length() : 0).average().orElseThrow();
        assertEquals(0.0, r.accuracy());
        assertEquals(expected, r.meanScore(), 1e-12);
        HeldOutEval.Result empty = eval(ByteTokenizer.EOS, task, 16);
        assertEquals(0.0, empty.meanChars());
        assertEquals(1.0, empty.meanTokens(), 1e-12, "EOS is counted");
    }
}
