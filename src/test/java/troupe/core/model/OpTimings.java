package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import troupe.core.model.train.OptimizerSettings;
import troupe.core.model.train.TrainablePolicy;

/**
 * Hand-run timings for issue 17 (figures for the report, not a timed test): one AdamW step over a
 * llama 25M parameter set (8 × 512, vocab 8192), and a GPT-2 forward (4 × 256, vocab 8192, B 8 × T
 * 128) without and with gradients. {@code adamw FILE} also writes the parameter shapes to FILE for
 * {@code adamw_step.py}, which times torch.optim.AdamW on the same shapes.
 *
 * <p>Run: {@code java -Dai.djl.pytorch.num_threads=1 -cp CLASSPATH troupe.core.model.OpTimings adamw|gpt2}.
 */
public final class OpTimings {

    private OpTimings() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("adamw")) {
            adamw(args.length > 1 ? Path.of(args[1]) : null);
        } else {
            gpt2();
        }
    }

    /** Median ms of 20 AdamW steps after 3 warm-up steps; fresh gradients (outside the timing) each step. */
    static void adamw(Path shapesOut) throws IOException {
        ModelConfig cfg = ModelConfig.sized(ModelType.LLAMA, 8192, 8, 512, 8, 256, 1, 2, 0);
        OptimizerSettings opt = new OptimizerSettings(3e-4, 0.9, 0.95, 1e-8, 0.1, 0, 0, 0, 0.1);
        try (NDManager root = NDManager.newBaseManager();
             TrainablePolicy p = new TrainablePolicy(CausalLms.random(cfg, root, 1), null, opt, root)) {
            Map<String, NDArray> params = p.trainable();
            if (shapesOut != null) {
                Files.write(shapesOut, params.values().stream()
                        .map(a -> Arrays.stream(a.getShape().getShape()).mapToObj(Long::toString)
                                .collect(Collectors.joining(" ")))
                        .toList());
            }
            List<NDArray> directions = new ArrayList<>();
            try (GradientCollector gc = p.newGradientCollector(); NDManager m = p.newStepManager()) {
                NDArray loss = null;
                for (NDArray a : params.values()) {
                    NDArray r = root.randomNormal(a.getShape());
                    directions.add(r);
                    NDArray term = a.mul(r).sum();
                    loss = loss == null ? term : loss.add(term);
                }
                gc.backward(loss);
            }
            long n = params.values().stream().mapToLong(a -> a.getShape().size()).sum();
            double[] ms = new double[20];
            double[] cpuMs = new double[20];
            for (int i = -3; i < ms.length; i++) {
                if (i > -3) {
                    int j = 0;
                    for (NDArray a : params.values()) {
                        a.getGradient().addi(directions.get(j++));
                    }
                }
                long t0 = System.nanoTime();
                long c0 = cpu();
                p.step();
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    cpuMs[i] = (cpu() - c0) / 1e6;
                }
            }
            System.out.printf("adamw params=%d tensors=%d step_ms median=%.1f min=%.1f cpu_ms median=%.1f%n", n,
                    params.size(), median(ms), Arrays.stream(ms).min().orElseThrow(), median(cpuMs));
        }
    }

    /** Median ms of a GPT-2 forward, inference (no gradients) and forward + backward of sum(logits). */
    static void gpt2() {
        ModelConfig cfg = ModelConfig.sized(ModelType.GPT2, 8192, 4, 256, 4, 256, 1, 2, 0);
        int b = 8;
        int t = 128;
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] rows = new int[b][t];
        for (int[] row : rows) {
            Arrays.setAll(row, i -> rnd.nextInt(cfg.vocabSize()));
        }
        PaddedBatch batch = PaddedBatch.of(rows, null, 0);
        try (NDManager root = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(cfg, root, 1)) {
            double[] fwd = new double[15];
            double[] fwdCpu = new double[15];
            for (int i = -3; i < fwd.length; i++) {
                try (NDManager m = root.newSubManager()) {
                    long t0 = System.nanoTime();
                    long c0 = cpu();
                    lm.forward(batch.tokens(m), batch.positions(m), batch.mask(m), null).logits().getFloat(0, 0, 0);
                    if (i >= 0) {
                        fwd[i] = (System.nanoTime() - t0) / 1e6;
                        fwdCpu[i] = (cpu() - c0) / 1e6;
                    }
                }
            }
            lm.parameters().setRequiresGradient(true);
            double[] train = new double[15];
            double[] trainCpu = new double[15];
            for (int i = -3; i < train.length; i++) {
                try (NDManager m = root.newSubManager();
                     GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    long t0 = System.nanoTime();
                    long c0 = cpu();
                    NDArray logits = lm.forward(batch.tokens(m), batch.positions(m), batch.mask(m), null).logits();
                    gc.backward(logits.sum());
                    if (i >= 0) {
                        train[i] = (System.nanoTime() - t0) / 1e6;
                        trainCpu[i] = (cpu() - c0) / 1e6;
                    }
                }
            }
            System.out.printf("gpt2 4x256 B%d T%d forward_ms median=%.1f min=%.1f cpu %.1f"
                    + "  fwd+bwd_ms median=%.1f min=%.1f cpu %.1f%n", b, t, median(fwd),
                    Arrays.stream(fwd).min().orElseThrow(), median(fwdCpu), median(train),
                    Arrays.stream(train).min().orElseThrow(), median(trainCpu));
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * This thread's CPU time: with one intra-op thread torch runs every op on the calling thread,
     * so this figure is far less disturbed than wall time by other processes on a loaded machine.
     */
    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
