package troupe.core.model.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.PaddedBatch;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.sampling.Sampler;
import troupe.core.model.sampling.SamplingDistribution;
import troupe.core.model.sampling.SamplingSettings;
import troupe.core.model.scoring.PolicyLogProbs;
import troupe.core.model.train.OptimizerSettings;
import troupe.core.model.train.TrainablePolicy;

/**
 * Throughput of the model code on this machine: greedy decoding (batch 1) with the KV cache vs
 * full recompute, and training (forward + backward + AdamW) at batch 16 × 128, for the demo config
 * and a ~25 M-parameter config. Prints a markdown table. Not a test: run it by hand, e.g.
 * {@code java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp … troupe.core.model.bench.ModelBench}.
 */
public final class ModelBench {

    /** Decode lengths measured. */
    private static final int[] DECODE_LENGTHS = {64, 256};
    /** Training batch: sequences × tokens. */
    private static final int TRAIN_BATCH = 16;
    private static final int TRAIN_LENGTH = 128;
    /** Timed training steps after one warm-up step. */
    private static final int TRAIN_STEPS = 3;

    private ModelBench() {
    }

    /** One table row. */
    public record Row(String config, long params, String measure, double tokensPerSecond) {
    }

    public static void main(String[] args) {
        List<Row> rows = run();
        System.out.println("threads: intra-op " + System.getProperty("ai.djl.pytorch.num_threads", "default")
                + ", inter-op " + System.getProperty("ai.djl.pytorch.num_interop_threads", "default")
                + ", cores " + Runtime.getRuntime().availableProcessors());
        System.out.println();
        System.out.println("| config | params | measure | tokens/s |");
        System.out.println("|---|---:|---|---:|");
        for (Row r : rows) {
            System.out.printf("| %s | %.2f M | %s | %,.0f |%n", r.config(), r.params() / 1e6, r.measure(),
                    r.tokensPerSecond());
        }
    }

    public static List<Row> run() {
        int v = ByteTokenizer.VOCAB;
        ModelConfig demo = ModelConfig.demo(ModelType.LLAMA, v, ByteTokenizer.BOS, -1, ByteTokenizer.PAD);
        ModelConfig big = ModelConfig.sized(ModelType.LLAMA, v, 8, 512, 8, 256, ByteTokenizer.BOS, -1, ByteTokenizer.PAD);
        List<Row> rows = new ArrayList<>();
        try (NDManager root = NDManager.newBaseManager()) {
            try (CausalLm lm = CausalLms.random(demo, root, 1)) {
                long n = lm.parameters().numel();
                for (int len : DECODE_LENGTHS) {
                    rows.add(new Row("demo llama 4×128", n, "decode b1, " + len + " new, KV cache", cached(lm, len, root)));
                    rows.add(new Row("demo llama 4×128", n, "decode b1, " + len + " new, full recompute",
                            recompute(lm, len, root)));
                }
            }
            rows.add(train(demo, "demo llama 4×128", root));
            rows.add(train(big, "llama 8×512", root));
        }
        return rows;
    }

    private static double cached(CausalLm lm, int len, NDManager root) {
        SamplingSettings s = SamplingSettings.defaults().withGreedy(true).withMaxNewTokens(len);
        Sampler.generate(lm, new int[][] {{ByteTokenizer.BOS}}, s.withMaxNewTokens(8), root); // warm-up
        long t = System.nanoTime();
        int produced = Sampler.generate(lm, new int[][] {{ByteTokenizer.BOS}}, s, root).get(0).length();
        return produced / ((System.nanoTime() - t) / 1e9);
    }

    private static double recompute(CausalLm lm, int len, NDManager root) {
        int[] seq = {ByteTokenizer.BOS};
        long t = System.nanoTime();
        for (int i = 0; i < len; i++) {
            PaddedBatch b = PaddedBatch.of(new int[][] {seq}, null, 0);
            float[] z;
            try (NDManager m = root.newSubManager()) {
                z = lm.forward(b.tokens(m), b.positions(m), b.mask(m), null).logits().get(":, -1, :").toFloatArray();
            }
            seq = java.util.Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = SamplingDistribution.argmax(z, 0, lm.config().vocabSize());
        }
        return len / ((System.nanoTime() - t) / 1e9);
    }

    private static Row train(ModelConfig cfg, String name, NDManager root) {
        SplittableRandom r = new SplittableRandom(3);
        int[][] prompts = new int[TRAIN_BATCH][];
        int[][] responses = new int[TRAIN_BATCH][];
        for (int i = 0; i < TRAIN_BATCH; i++) {
            prompts[i] = new int[] {ByteTokenizer.BOS};
            responses[i] = r.ints(TRAIN_LENGTH - 1, 0, ByteTokenizer.BYTES).toArray();
        }
        PaddedBatch batch = PaddedBatch.of(prompts, responses, 0);
        try (TrainablePolicy p = new TrainablePolicy(CausalLms.random(cfg, root, 1), null,
                OptimizerSettings.defaults(), root)) {
            long t = 0;
            for (int step = 0; step <= TRAIN_STEPS; step++) {
                if (step == 1) {
                    t = System.nanoTime();
                }
                try (NDManager m = p.newStepManager(); GradientCollector gc = p.newGradientCollector()) {
                    PolicyLogProbs out = PolicyLogProbs.compute(p.model(), batch, 1.0, m);
                    NDArray loss = out.logprobs().mul(out.mask()).sum().neg().div(out.mask().sum());
                    gc.backward(loss);
                }
                p.step();
            }
            double secs = (System.nanoTime() - t) / 1e9;
            return new Row(name, p.model().parameters().numel(),
                    "train fwd+bwd+AdamW " + TRAIN_BATCH + "×" + TRAIN_LENGTH,
                    (double) TRAIN_STEPS * TRAIN_BATCH * TRAIN_LENGTH / secs);
        }
    }
}
