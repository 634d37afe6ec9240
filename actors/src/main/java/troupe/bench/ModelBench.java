package troupe.bench;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.KvCache;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.PaddedBatch;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.sampling.Sampler;
import troupe.core.model.sampling.SamplingSettings;
import troupe.core.model.scoring.PolicyLogProbs;
import troupe.core.model.train.OptimizerSettings;
import troupe.core.model.train.TrainablePolicy;

/**
 * Throughput of the model code on this machine, printed as markdown tables:
 * <ul>
 *   <li>native ops per forward and per layer (arrays a forward leaves on its step manager),
 *       one cached decode step at batch 1 and 64;</li>
 *   <li>decoding tokens/s with the KV cache ({@link Sampler}, temperature 1) vs full recompute of
 *       the whole sequence per token, at 64 and 256 new tokens, batch 1 and batch 64 (the RL
 *       generator's shape: prompts × group size), and their ratio;</li>
 *   <li>training (forward + backward + AdamW) tokens/s at 16 × 128 for the demo config and a
 *       ~23 M-parameter config.</li>
 * </ul>
 * Run by {@code troupe bench model [ops] [decode] [train]} (none = all). The intra-op thread
 * count is fixed when the engine starts, so each count is a separate JVM:
 * {@code TROUPE_THREADS=N ./troupe bench model}. It uses only model APIs that predate the
 * op-count work, so BENCHMARKS.md's before/after figures come from the same measuring code.
 */
public final class ModelBench {

    /** The sections a run may name, in the order they print. */
    public static final List<String> SECTIONS = List.of("ops", "decode", "train");

    /** Decode lengths measured. */
    private static final int[] DECODE_LENGTHS = {64, 256};
    /** Decode batch sizes measured. */
    private static final int[] DECODE_BATCHES = {1, 64};
    /** Short decode runs are repeated and the best kept (the machine is shared; noise is one-sided). */
    private static final double MIN_DECODE_SECONDS = 1.5;
    private static final int MAX_DECODE_REPEATS = 3;
    /**
     * Full recompute at batch 64 × 256 new tokens costs ~Σ_S 64·S token-forwards (minutes); it is
     * timed on every {@value}-th sequence length and scaled (marked "sampled" in the table).
     */
    private static final int RECOMPUTE_STRIDE = 8;
    /** Training batch: sequences × tokens. */
    private static final int TRAIN_BATCH = 16;
    private static final int TRAIN_LENGTH = 128;
    /** Timed training steps after one warm-up step. */
    private static final int TRAIN_STEPS = 3;

    private ModelBench() {
    }

    /** A decode measurement. */
    public record DecodeRow(String config, int batch, int newTokens, Rate cached, Rate recompute,
                            boolean recomputeSampled) {
        /** Speed-up of the cache, in CPU time (robust to other processes on the machine). */
        public double ratio() {
            return cached.perCpuSecond() / recompute.perCpuSecond();
        }
    }

    /**
     * Tokens per wall-clock second and per second of this process's CPU time (all threads). On a
     * shared machine the wall figure swings with other load; the CPU figure approximates an idle
     * machine at 1 intra-op thread (at 2 threads it also counts OpenMP spin-waiting).
     */
    public record Rate(double perWallSecond, double perCpuSecond) {
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static long cpuNanos() {
        return OS.getProcessCpuTime();
    }

    /** A training measurement. */
    public record TrainRow(String config, long params, String measure, Rate tokens, double optimizerMillis) {
    }

    /** Ops left on the step manager by one cached decode step (prompt of 8 already cached). */
    public record OpsRow(String config, int batch, int perForward, double perLayer) {
    }

    /** Prints the tables of {@code sections} (a subset of {@link #SECTIONS}; empty = all) to {@code out}. */
    public static void run(PrintWriter out, Set<String> sections) {
        if (sections.isEmpty()) {
            sections = Set.copyOf(SECTIONS);
        }
        out.println("threads: intra-op " + System.getProperty("ai.djl.pytorch.num_threads", "default")
                + ", inter-op " + System.getProperty("ai.djl.pytorch.num_interop_threads", "default")
                + ", cores " + Runtime.getRuntime().availableProcessors());
        ModelConfig demo = demo(4);
        try (NDManager root = NDManager.newBaseManager()) {
            if (sections.contains("ops")) {
                out.println();
                out.println("| config | batch | ops per cached decode step | ops per layer |");
                out.println("|---|---:|---:|---:|");
                for (int b : DECODE_BATCHES) {
                    OpsRow r = ops(b, root);
                    out.printf("| %s | %d | %d | %.1f |%n", r.config(), r.batch(), r.perForward(), r.perLayer());
                }
            }
            if (sections.contains("decode")) {
                out.println();
                out.println("| config | batch | new tokens | KV cache tok/s (wall / CPU) "
                        + "| full recompute tok/s (wall / CPU) | ratio (CPU) |");
                out.println("|---|---:|---:|---:|---:|---:|");
                try (CausalLm lm = CausalLms.random(demo, root, 1)) {
                    for (int b : DECODE_BATCHES) {
                        for (int len : DECODE_LENGTHS) {
                            DecodeRow r = decode(lm, "demo llama 4×128", b, len, root);
                            out.printf("| %s | %d | %d | %,.0f / %,.0f | %,.0f / %,.0f%s | %.1f× |%n", r.config(),
                                    r.batch(), r.newTokens(), r.cached().perWallSecond(), r.cached().perCpuSecond(),
                                    r.recompute().perWallSecond(), r.recompute().perCpuSecond(),
                                    r.recomputeSampled() ? " (sampled)" : "", r.ratio());
                        }
                    }
                }
            }
            if (sections.contains("train")) {
                out.println();
                out.println("| config | params | measure | tokens/s (wall / CPU) | of which AdamW ms/step (wall) |");
                out.println("|---|---:|---|---:|---:|");
                ModelConfig big = ModelConfig.sized(ModelType.LLAMA, ByteTokenizer.VOCAB, 8, 512, 8, 256,
                        ByteTokenizer.BOS, -1, ByteTokenizer.PAD);
                for (TrainRow r : List.of(train(demo, "demo llama 4×128", root), train(big, "llama 8×512", root))) {
                    out.printf("| %s | %.2f M | %s | %,.0f / %,.0f | %.1f |%n", r.config(), r.params() / 1e6,
                            r.measure(), r.tokens().perWallSecond(), r.tokens().perCpuSecond(), r.optimizerMillis());
                }
            }
        }
    }

    private static ModelConfig demo(int layers) {
        return ModelConfig.sized(ModelType.LLAMA, ByteTokenizer.VOCAB, layers, 128, 4, 256, ByteTokenizer.BOS, -1,
                ByteTokenizer.PAD);
    }

    /** Per-layer ops = (ops at 4 layers − ops at 2 layers) / 2; the rest is embedding, masks, RoPE tables, head. */
    static OpsRow ops(int batch, NDManager root) {
        int four = opsPerStep(demo(4), batch, root);
        int two = opsPerStep(demo(2), batch, root);
        return new OpsRow("demo llama 4×128", batch, four, (four - two) / 2.0);
    }

    private static int opsPerStep(ModelConfig cfg, int batch, NDManager root) {
        int[][] prompts = new int[batch][];
        for (int i = 0; i < batch; i++) {
            prompts[i] = new int[] {ByteTokenizer.BOS, 10, 11, 12, 13, 14, 15, 16};
        }
        PaddedBatch pb = PaddedBatch.of(prompts, null, 0);
        try (CausalLm lm = CausalLms.random(cfg, root, 1); NDManager session = root.newSubManager();
             KvCache cache = lm.newCache(session)) {
            try (NDManager m = session.newSubManager()) {
                lm.forward(pb.tokens(m), pb.positions(m), pb.mask(m), cache);
            }
            int s = pb.length() + 1;
            long[] next = new long[batch];
            long[] pos = new long[batch];
            float[] mask = new float[batch * s];
            Arrays.fill(next, 20);
            Arrays.fill(pos, s - 1);
            Arrays.fill(mask, 1f);
            try (NDManager m = session.newSubManager()) {
                NDArray tok = m.create(next, new ai.djl.ndarray.types.Shape(batch, 1));
                NDArray p = m.create(pos, new ai.djl.ndarray.types.Shape(batch, 1));
                NDArray mk = m.create(mask, new ai.djl.ndarray.types.Shape(batch, s));
                int inputs = ((BaseNDManager) m).getManagedArrays().size();
                lm.forward(tok, p, mk, cache);
                return ((BaseNDManager) m).getManagedArrays().size() - inputs;
            }
        }
    }

    static DecodeRow decode(CausalLm lm, String name, int batch, int len, NDManager root) {
        int[][] prompts = new int[batch][];
        for (int i = 0; i < batch; i++) {
            prompts[i] = new int[] {ByteTokenizer.BOS};
        }
        SamplingSettings s = SamplingSettings.defaults().withMaxNewTokens(len).withSeed(5);
        Sampler.generate(lm, prompts, s.withMaxNewTokens(8), root); // warm-up
        double best = 0;
        double bestCpu = 0;
        double spent = 0;
        for (int rep = 0; rep < MAX_DECODE_REPEATS && (rep == 0 || spent < MIN_DECODE_SECONDS); rep++) {
            long c = cpuNanos();
            long t = System.nanoTime();
            long produced = Sampler.generate(lm, prompts, s, root).stream().mapToLong(x -> x.length()).sum();
            double secs = (System.nanoTime() - t) / 1e9;
            double cpu = (cpuNanos() - c) / 1e9;
            spent += secs;
            best = Math.max(best, produced / secs);
            bestCpu = Math.max(bestCpu, produced / cpu);
        }
        int stride = batch > 1 && len > 64 ? RECOMPUTE_STRIDE : 1;
        return new DecodeRow(name, batch, len, new Rate(best, bestCpu), recompute(lm, batch, len, stride, root),
                stride > 1);
    }

    /**
     * Tokens/s when every new token re-runs the forward over the whole sequence (no cache). With
     * {@code stride} k &gt; 1 only sequence lengths 1, 1+k, … are run and each counts for k steps.
     */
    private static Rate recompute(CausalLm lm, int batch, int len, int stride, NDManager root) {
        int v = lm.config().vocabSize();
        try (NDManager m0 = root.newSubManager()) { // warm-up
            forwardLast(lm, batch, 4, m0);
        }
        SplittableRandom r = new SplittableRandom(7);
        double secs = 0;
        double cpu = 0;
        for (int i = 0; i < len; i += stride) {
            long c = cpuNanos();
            long t = System.nanoTime();
            try (NDManager m = root.newSubManager()) {
                float[] z = forwardLast(lm, batch, i + 1, m);
                int unused = z.length > 0 ? r.nextInt(v) : 0; // host work of picking a token, like the cached path
            }
            secs += (System.nanoTime() - t) / 1e9 * Math.min(stride, len - i);
            cpu += (cpuNanos() - c) / 1e9 * Math.min(stride, len - i);
        }
        return new Rate(batch * len / secs, batch * len / cpu);
    }

    /** Forward over [B, S] tokens, logits of the last position copied to the host. */
    private static float[] forwardLast(CausalLm lm, int batch, int s, NDManager m) {
        int[][] seqs = new int[batch][s];
        for (int[] row : seqs) {
            Arrays.fill(row, ByteTokenizer.BOS);
        }
        PaddedBatch b = PaddedBatch.of(seqs, null, 0);
        return lm.forward(b.tokens(m), b.positions(m), b.mask(m), null).logits().get(":, -1, :").toFloatArray();
    }

    private static TrainRow train(ModelConfig cfg, String name, NDManager root) {
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
            long c = 0;
            long optimizer = 0;
            for (int step = 0; step <= TRAIN_STEPS; step++) {
                if (step == 1) {
                    t = System.nanoTime();
                    c = cpuNanos();
                    optimizer = 0;
                }
                try (NDManager m = p.newStepManager(); GradientCollector gc = p.newGradientCollector()) {
                    PolicyLogProbs out = PolicyLogProbs.compute(p.model(), batch, 1.0, m);
                    NDArray loss = out.logprobs().mul(out.mask()).sum().neg().div(out.mask().sum());
                    gc.backward(loss);
                }
                long o = System.nanoTime();
                p.step();
                optimizer += System.nanoTime() - o;
            }
            double secs = (System.nanoTime() - t) / 1e9;
            double cpu = (cpuNanos() - c) / 1e9;
            double tokens = (double) TRAIN_STEPS * TRAIN_BATCH * TRAIN_LENGTH;
            return new TrainRow(name, p.model().parameters().numel(),
                    "train fwd+bwd+AdamW " + TRAIN_BATCH + "×" + TRAIN_LENGTH,
                    new Rate(tokens / secs, tokens / cpu), optimizer / 1e6 / TRAIN_STEPS);
        }
    }
}
