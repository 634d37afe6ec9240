package troupe.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.GradMode;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.PaddedBatch;
import troupe.core.model.train.OptimizerSettings;
import troupe.core.model.train.TrainablePolicy;

/**
 * {@code troupe bench model}: the model code alone, measured as {@code torch_baseline.py} (the
 * PyTorch-eager anchor of issue 17) measures its own, with the same flags, defaults and JSON keys,
 * so one command line runs on both sides and the figures divide:
 * <ul>
 *   <li>train: forward + cross-entropy, backward, AdamW (lr 3e-4, betas 0.9/0.95, eps 1e-8, wd
 *       0.1, no clipping) on four random [batch, seq + 1] token batches in turn; median of the
 *       timed steps after the warm-up ones (the first steps pay page faults);</li>
 *   <li>decode: greedy with the KV cache, end to end from the prompt (prefill included), against
 *       full recompute of the whole sequence per token ({@link GreedyDecode}).</li>
 * </ul>
 * Random weights, no files, no network.
 */
public final class ModelBench {

    /** The script's argparse flags, by their Python names; see the command for each meaning. */
    public record Options(String layout, int layers, int dModel, int heads, int kvHeads, int ffn, int vocab, int ctx,
                          boolean tie, int batch, int seq, int threads, int steps, int warmup, int promptLen,
                          int decodeTokens, List<Integer> decodeBatch, int decodeReps, String kvImpl, String mode,
                          long seed) {

        boolean train() {
            return !mode.equals("decode");
        }

        boolean decode() {
            return !mode.equals("train");
        }

        /** New tokens per decode: the flag, or what fills the context after the prompt (the script's 0). */
        int newTokens() {
            return decodeTokens > 0 ? decodeTokens : ctx - promptLen;
        }
    }

    /** The script's AdamW: {@code torch.optim.AdamW(lr=3e-4, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)}. */
    static final OptimizerSettings ADAMW = new OptimizerSettings(3e-4, 0.9, 0.95, 1e-8, 0.1, 0, 0, 0, 0);
    /** Random training batches cycled through, as the script's {@code data} list. */
    private static final int TRAIN_BATCHES = 4;

    private ModelBench() {
    }

    /**
     * The model the flags describe, by the script's rules: {@code --kv-heads 0} (and gpt2) = heads,
     * {@code --ffn 0} = 4·d for gpt2, else 8/3·d rounded up to a multiple of 64; gpt2 always ties.
     *
     * @throws IllegalArgumentException naming the flag when the flags contradict each other
     */
    public static ModelConfig config(Options o) {
        ModelType type = switch (o.layout()) {
            case "llama" -> ModelType.LLAMA;
            case "qwen2" -> ModelType.QWEN2;
            case "gpt2" -> ModelType.GPT2;
            default -> throw new IllegalArgumentException("--layout must be llama, qwen2 or gpt2, got " + o.layout());
        };
        boolean gpt2 = type == ModelType.GPT2;
        int kv = o.kvHeads() == 0 || gpt2 ? o.heads() : o.kvHeads();
        int ffn = o.ffn() != 0 ? o.ffn() : gpt2 ? 4 * o.dModel() : 64 * (int) Math.ceil(o.dModel() * 8.0 / 3 / 64);
        if (o.train() && o.seq() > o.ctx()) {
            throw new IllegalArgumentException("--seq must be <= --ctx");
        }
        if (o.decode() && o.promptLen() + o.newTokens() > o.ctx()) {
            throw new IllegalArgumentException("--prompt-len + --decode-tokens must be <= --ctx");
        }
        try {
            return new ModelConfig(type, o.vocab(), o.dModel(), o.layers(), o.heads(), kv, ffn, o.ctx(),
                    gpt2 ? ModelConfig.DEFAULT_LAYER_NORM_EPS : ModelConfig.DEFAULT_RMS_EPS,
                    ModelConfig.DEFAULT_ROPE_THETA, o.tie() || gpt2, -1, -1, -1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--layers/--d-model/--heads/--kv-heads/--ffn/--vocab/--ctx: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Sets the intra-op threads of this process before anything runs: the property is what DJL
     * reads when the engine starts (the launcher passes TROUPE_THREADS there), and the JNI call
     * covers an engine some earlier code already started. OpenMP keeps the count per calling
     * thread, so the bench runs every op on this thread.
     */
    static void setThreads(int n) {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(n);
    }

    /** Runs the sections {@code o.mode()} names and returns the script's JSON object plus {@code peak_rss_mb}. */
    public static JsonObject run(Options o) {
        ModelConfig cfg = config(o);
        setThreads(o.threads());
        GradMode.offOnThisThread();
        JsonObject res = new JsonObject();
        res.addProperty("bench", "troupe_model");
        res.addProperty("engine", "PyTorch " + Engine.getEngine("PyTorch").getVersion() + " (DJL)");
        res.addProperty("threads", JniUtils.getNumThreads());
        res.addProperty("cpu", System.getProperty("os.arch"));
        res.add("config", echo(cfg));
        try (NDManager root = NDManager.newBaseManager()) {
            CausalLm lm = CausalLms.random(cfg, root, o.seed());
            res.addProperty("n_params", lm.parameters().numel());
            res.addProperty("n_params_non_embedding", lm.parameters().arrays().entrySet().stream()
                    .filter(e -> !e.getKey().matches(".*(embed_tokens|wte|wpe|lm_head).*"))
                    .mapToLong(e -> e.getValue().getShape().size()).sum());
            // The policy owns the model from here and closes it; decode reads the trained weights, as the script's.
            try (TrainablePolicy policy = new TrainablePolicy(lm, null, ADAMW, root)) {
                if (o.train()) {
                    JsonObject t = new JsonObject();
                    t.addProperty("batch", o.batch());
                    t.addProperty("seq", o.seq());
                    train(policy, o, root).entrySet().forEach(e -> t.add(e.getKey(), e.getValue()));
                    res.add("train", t);
                }
                if (o.decode()) {
                    GradMode.offOnThisThread();
                    JsonArray decode = new JsonArray();
                    for (int b : o.decodeBatch()) {
                        decode.add(GreedyDecode.bench(lm, b, o.promptLen(), o.newTokens(), o.decodeReps(),
                                o.kvImpl().equals("static"), root));
                    }
                    res.add("decode", decode);
                }
            }
        }
        PeakRss.megabytes().ifPresent(mb -> res.addProperty("peak_rss_mb", mb));
        return res;
    }

    /** The script's {@code bench_train}: timings in ms (medians), tokens/s of the median step. */
    static JsonObject train(TrainablePolicy policy, Options o, NDManager root) {
        SplittableRandom r = new SplittableRandom(1234);
        List<PaddedBatch> inputs = new ArrayList<>();
        List<long[]> targets = new ArrayList<>();
        for (int d = 0; d < TRAIN_BATCHES; d++) {
            int[][] rows = new int[o.batch()][];
            long[] next = new long[o.batch() * o.seq()];
            for (int i = 0; i < o.batch(); i++) {
                int[] tok = r.ints(o.seq() + 1, 0, o.vocab()).toArray();
                rows[i] = Arrays.copyOf(tok, o.seq());
                for (int j = 0; j < o.seq(); j++) {
                    next[i * o.seq() + j] = tok[j + 1];
                }
            }
            inputs.add(PaddedBatch.of(rows, null, 0));
            targets.add(next);
        }
        CausalLm lm = policy.model();
        double[] step = new double[o.steps()];
        double[] fwd = new double[o.steps()];
        double[] bwd = new double[o.steps()];
        double[] opt = new double[o.steps()];
        double lossFirst = Double.NaN;
        double lossLast = Double.NaN;
        for (int i = 0; i < o.warmup() + o.steps(); i++) {
            PaddedBatch b = inputs.get(i % TRAIN_BATCHES);
            long t0 = System.nanoTime();
            long t1;
            float loss;
            try (NDManager m = policy.newStepManager(); GradientCollector gc = policy.newGradientCollector()) {
                NDArray logits = lm.forward(b.tokens(m), b.positions(m), b.mask(m), null).logits();
                NDArray index = m.create(targets.get(i % TRAIN_BATCHES), new Shape(o.batch(), o.seq(), 1));
                NDArray ce = logits.logSoftmax(-1).gather(index, 2).mean().neg(); // F.cross_entropy, mean
                t1 = System.nanoTime();
                gc.backward(ce);
                loss = ce.getFloat();
            }
            long t2 = System.nanoTime();
            policy.step();
            long t3 = System.nanoTime();
            lossFirst = i == 0 ? loss : lossFirst;
            lossLast = loss;
            int k = i - o.warmup();
            if (k >= 0) {
                step[k] = (t3 - t0) / 1e6;
                fwd[k] = (t1 - t0) / 1e6;
                bwd[k] = (t2 - t1) / 1e6;
                opt[k] = (t3 - t2) / 1e6;
            }
        }
        GradMode.offOnThisThread();
        double[] infer = new double[Math.max(3, o.steps() / 2)];
        for (int i = 0; i <= infer.length; i++) {
            try (NDManager m = root.newSubManager()) {
                PaddedBatch b = inputs.get(0);
                long t0 = System.nanoTime();
                lm.forward(b.tokens(m), b.positions(m), b.mask(m), null);
                if (i > 0) {
                    infer[i - 1] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        double tokens = (double) o.batch() * o.seq();
        JsonObject j = new JsonObject();
        j.addProperty("tokens_per_s", round(tokens / median(step) * 1000, 1));
        j.addProperty("step_ms", round(median(step), 3));
        j.addProperty("step_ms_min", round(Arrays.stream(step).min().orElse(Double.NaN), 3));
        j.addProperty("step_ms_max", round(Arrays.stream(step).max().orElse(Double.NaN), 3));
        j.addProperty("fwd_ms", round(median(fwd), 3));
        j.addProperty("bwd_ms", round(median(bwd), 3));
        j.addProperty("opt_ms", round(median(opt), 3));
        j.addProperty("infer_fwd_ms", round(median(infer), 3));
        j.addProperty("infer_tokens_per_s", round(tokens / median(infer) * 1000, 1));
        j.addProperty("loss_first", round(lossFirst, 4));
        j.addProperty("loss_last", round(lossLast, 4));
        j.addProperty("optimizer", "troupe AdamW(lr=0.0003, betas=(0.9,0.95), eps=1e-8, wd=0.1 on matrices)");
        j.addProperty("timed_steps", o.steps());
        j.addProperty("warmup_steps", o.warmup());
        return j;
    }

    /** The script's {@code asdict(LMConfig)} keys, so the two config echoes compare field by field. */
    private static JsonObject echo(ModelConfig c) {
        boolean gpt2 = c.type() == ModelType.GPT2;
        JsonObject j = new JsonObject();
        j.addProperty("layout", c.type().name().toLowerCase(java.util.Locale.ROOT));
        j.addProperty("n_layers", c.numLayers());
        j.addProperty("d_model", c.hiddenSize());
        j.addProperty("n_heads", c.numHeads());
        j.addProperty("n_kv_heads", c.numKvHeads());
        j.addProperty("head_dim", c.headDim());
        j.addProperty("ffn", c.intermediateSize());
        j.addProperty("vocab", c.vocabSize());
        j.addProperty("ctx", c.maxPositions());
        j.addProperty("rms_eps", gpt2 ? ModelConfig.DEFAULT_RMS_EPS : c.normEps());
        j.addProperty("ln_eps", gpt2 ? c.normEps() : ModelConfig.DEFAULT_LAYER_NORM_EPS);
        j.addProperty("rope_theta", c.ropeTheta());
        j.addProperty("tie", c.tieEmbeddings());
        j.addProperty("attn_bias", false);
        j.addProperty("qkv_bias", c.attentionBias());
        j.addProperty("mlp_bias", false);
        j.addProperty("scale_attn_by_inverse_layer_idx", false);
        return j;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double round(double x, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }
}
