package troupe.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.util.JsonFormat;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import troupe.config.TroupeSettings;
import troupe.core.engine.LearnerEngine;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.RewardScorer;
import troupe.core.rl.LearnerEngines;
import troupe.core.rl.PolicyReferenceEngine;
import troupe.core.rl.PolicyRolloutEngine;
import troupe.pipeline.LocalEngines;
import troupe.pipeline.Run;
import troupe.proto.v1.LearnerEvent;

/**
 * {@code troupe bench step}: the whole GRPO step of {@code torch_grpo_step.py}, run by the real
 * roles — generator, one scorer host per objective, reference, learner, the pipeline stream of
 * {@code troupe run} ({@link Run#start}) — in one JVM on random weights, with the script's
 * flags and step ({@link StepFlags}). Policy, generator replica and reference are three models
 * initialised from the same seed, so the reference is the initial policy (the script's deepcopy).
 *
 * <p>Stage times are the roles' own, read from each step's {@link LearnerEvent} (the metrics
 * file, which has every event), and map onto the script's stages as follows:
 * <ul>
 *   <li>gen_ms — "generate": the generator engine's sampling of the batch (prefill + T−1 cached
 *       one-token forwards, sampling, behaviour log-probs), the script's stage 1;
 *   <li>reward_ms — "reward": the reward fan-out, from the request to the last scorer's column
 *       merged into the batch (stage 2);
 *   <li>ref_ms — "reference": the reference role's log-probs, one forward per micro-batch (stage 3);
 *   <li>adv_ms — "learn:advantages": weighting (fixed-linear) and GRPO advantages inside the
 *       learner's step (stage 4);
 *   <li>learn_ms — "learn" minus "learn:advantages": micro-batch forwards, losses, backward and
 *       AdamW (stage 5), plus what only a distributed learner does — the step's metrics and the
 *       export of the new weights for the generators;
 *   <li>opt_ms — "learn:optimizer": the AdamW steps, inside learn_ms as in the script;
 *   <li>step_ms — the event's step_seconds: wall time between the ends of two learner steps, so
 *       it also holds the weight hand-over to the generator and every hop between roles. With
 *       {@code --max-policy-lag 1} generation of the next batch overlaps learning, and step_ms is
 *       less than the sum of the stages.
 * </ul>
 * Figures are medians over the {@code --steps} timed steps after {@code --warmup} untimed ones.
 *
 * <p>Where the step still differs from the script, by the learner's own design (not settings):
 * AdamW decays matrices only (the script decays every parameter; same cost); the ratio's
 * denominator is the learner's detached log-prob (TRL's choice at one epoch; the script uses the
 * sampler's, equal on-policy up to rounding); the learner also computes its health metrics
 * (entropy, top-k mass) and exports the new weights each step.
 */
public final class StepBench {

    private StepBench() {}

    /** Runs the bench and returns the script's JSON object (config echo, step medians, checks, peak RSS). */
    public static JsonObject run(StepFlags f) throws IOException {
        int threads = setIntraOpThreads(f.threads());
        Path out = Files.createTempDirectory("troupe-bench-step");
        Config config = f.config(out);
        TroupeSettings s = TroupeSettings.fromConfig(config);
        ModelConfig mc = f.model();
        List<RewardScorer> scorers = TokenObjectives.scorers();
        long nParams;
        long nEmbedding;
        Path metrics;
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainablePolicy policy = new TrainablePolicy(CausalLms.random(mc, manager, f.seed()), null,
                    s.learner().optimizer(), manager);
            nParams = policy.model().parameters().numel();
            nEmbedding = embeddingParams(policy.model());
            LearnerEngine learner = LocalEngines.learner(s, policy, scorers, manager);
            PolicyRolloutEngine generator = new PolicyRolloutEngine(CausalLms.random(mc, manager, f.seed()),
                    new ByteTokenizer(), manager, learner.policyVersion(), "");
            PolicyReferenceEngine reference = new PolicyReferenceEngine(CausalLms.random(mc, manager, f.seed()),
                    manager, s.learner().microBatch());
            try {
                Run.Components c = new Run.Components(new RandomPrompts(f.vocab(), f.promptLen(), f.seed() + 1),
                        s.sampling().params(s.run().seed()), List.of(generator), reference, learner, scorers);
                try (Run run = Run.start(config, s, "bench-step", c)) {
                    metrics = run.result().toCompletableFuture().join().metricsFile();
                }
            } finally {
                generator.close();
                reference.close();
                LearnerEngines.close(learner);
            }
        }
        List<LearnerEvent> events = readEvents(metrics);
        if (events.size() != f.warmup() + f.steps()) {
            throw new IllegalStateException("expected " + (f.warmup() + f.steps()) + " steps, the run logged "
                    + events.size() + " in " + metrics);
        }
        return json(f, mc, threads, nParams, nEmbedding, events);
    }

    /** The script's JSON for the finished run's events. */
    static JsonObject json(StepFlags f, ModelConfig mc, int threads, long nParams, long nEmbedding,
            List<LearnerEvent> events) {
        List<LearnerEvent> timed = events.subList(f.warmup(), events.size());
        int n = f.sequences();
        double stepS = median(timed, e -> e.getThroughput().getStepSeconds());
        JsonObject res = new JsonObject();
        res.addProperty("bench", "troupe_grpo_step");
        res.addProperty("threads", threads);
        res.addProperty("max_policy_lag", f.maxPolicyLag());
        res.add("config", modelEcho(mc));
        res.addProperty("n_params", nParams);
        res.addProperty("n_params_non_embedding", nParams - nEmbedding);
        JsonObject grpo = new JsonObject();
        grpo.addProperty("prompts", f.prompts());
        grpo.addProperty("group", f.group());
        grpo.addProperty("sequences", n);
        grpo.addProperty("prompt_len", f.promptLen());
        grpo.addProperty("response_len", f.responseLen());
        grpo.addProperty("micro_batch", f.microBatch());
        grpo.addProperty("epochs", f.epochs());
        grpo.addProperty("temperature", f.temperature());
        grpo.addProperty("beta", f.beta());
        grpo.addProperty("clip", f.clip());
        grpo.addProperty("kv_impl", f.kvImpl());
        grpo.addProperty("optimizer", String.format(java.util.Locale.ROOT,
                "troupe AdamW(lr=%g, betas=(0.9,0.95), eps=1e-8, wd=0.1 on matrices)", f.lr()));
        grpo.addProperty("seed", f.seed());
        grpo.addProperty("timed_steps", f.steps());
        grpo.addProperty("warmup_steps", f.warmup());
        res.add("grpo", grpo);
        JsonObject step = new JsonObject();
        step.addProperty("samples_per_s", round(n / stepS, 2));
        step.addProperty("tokens_per_s", round((double) n * f.responseLen() / stepS, 1));
        double adv = median(timed, e -> stage(e, "learn:advantages"));
        step.addProperty("gen_ms", round(median(timed, e -> stage(e, "generate")), 3));
        step.addProperty("reward_ms", round(median(timed, e -> stage(e, "reward")), 3));
        step.addProperty("ref_ms", round(median(timed, e -> stage(e, "reference")), 3));
        step.addProperty("adv_ms", round(adv, 3));
        step.addProperty("learn_ms", round(median(timed, e -> stage(e, "learn") - stage(e, "learn:advantages")), 3));
        step.addProperty("step_ms", round(1000 * stepS, 3));
        step.addProperty("opt_ms", round(median(timed, e -> stage(e, "learn:optimizer")), 3));
        step.addProperty("broadcast_ms", round(median(timed, e -> e.getThroughput().getWeightBroadcastMillis()), 3));
        double[] steps = timed.stream().mapToDouble(e -> 1000 * e.getThroughput().getStepSeconds()).toArray();
        step.addProperty("step_ms_min", round(Arrays.stream(steps).min().orElse(0), 3));
        step.addProperty("step_ms_max", round(Arrays.stream(steps).max().orElse(0), 3));
        res.add("step", step);
        // The script's check: in the first step the policy equals the reference, so KL is 0.
        res.addProperty("kl_step0", events.get(0).getKl().getTokenMean());
        res.add("reward_mean", series(events, e -> round(e.getScalarRewardMean(), 4)));
        res.add("loss", series(events, e -> e.getLoss().getTotal()));
        res.add("kl", series(events, e -> e.getKl().getTokenMean()));
        res.add("clip_frac", series(events, e -> round(e.getClip().getClipFraction(), 4)));
        res.addProperty("peak_rss_mb", round(peakRssMb(), 1));
        return res;
    }

    /** Milliseconds of {@code stage} in the event; 0 when the event has none. */
    static double stage(LearnerEvent e, String stage) {
        return e.getStageTimingsList().stream().filter(t -> t.getStage().equals(stage))
                .mapToDouble(troupe.proto.v1.StageTiming::getMillis).sum();
    }

    static double median(List<LearnerEvent> events, ToDoubleFunction<LearnerEvent> f) {
        double[] v = events.stream().mapToDouble(f).sorted().toArray();
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    private static JsonArray series(List<LearnerEvent> events, ToDoubleFunction<LearnerEvent> f) {
        JsonArray a = new JsonArray();
        events.forEach(e -> a.add(f.applyAsDouble(e)));
        return a;
    }

    private static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }

    /** torch_baseline.LMConfig's field names. */
    private static JsonObject modelEcho(ModelConfig mc) {
        JsonObject c = new JsonObject();
        c.addProperty("layout", mc.type().hfName());
        c.addProperty("n_layers", mc.numLayers());
        c.addProperty("d_model", mc.hiddenSize());
        c.addProperty("n_heads", mc.numHeads());
        c.addProperty("n_kv_heads", mc.numKvHeads());
        c.addProperty("head_dim", mc.headDim());
        c.addProperty("ffn", mc.intermediateSize());
        c.addProperty("vocab", mc.vocabSize());
        c.addProperty("ctx", mc.maxPositions());
        c.addProperty("tie", mc.tieEmbeddings());
        return c;
    }

    /** Parameters of the embeddings and the LM head, as torch_baseline.count_params counts them. */
    private static long embeddingParams(CausalLm lm) {
        return lm.parameters().arrays().entrySet().stream()
                .filter(e -> e.getKey().matches(".*(embed_tokens|wte|wpe|lm_head).*"))
                .mapToLong(e -> e.getValue().size()).sum();
    }

    /** Every event of the run, from its metrics file (lossless, unlike a live subscription). */
    static List<LearnerEvent> readEvents(Path metrics) throws IOException {
        List<LearnerEvent> events = new ArrayList<>();
        JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();
        for (String line : Files.readAllLines(metrics)) {
            if (!line.isBlank()) {
                LearnerEvent.Builder b = LearnerEvent.newBuilder();
                parser.merge(line, b);
                events.add(b.build());
            }
        }
        return events;
    }

    /**
     * Sets PyTorch's intra-op threads in this process (over TROUPE_THREADS): through the property
     * the engine reads when it starts, and directly when it has started already.
     */
    static int setIntraOpThreads(int n) {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
        Engine.getEngine("PyTorch");
        if (JniUtils.getNumThreads() != n) {
            JniUtils.setNumThreads(n);
        }
        return JniUtils.getNumThreads();
    }

    /** Peak resident set of this process in MB (VmHWM; the script's ru_maxrss), NaN where /proc is absent. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
