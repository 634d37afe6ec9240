package troupe.core.rl;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import troupe.core.engine.Prompt;
import troupe.core.engine.RolloutEngine;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.WeightUpdate;
import troupe.core.model.GradMode;
import troupe.core.model.CausalLm;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.sampling.Completion;
import troupe.core.model.sampling.Sampler;
import troupe.core.model.sampling.SamplingSettings;
import troupe.core.model.snapshot.WeightSnapshot;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.SamplingParams;
import troupe.core.rollout.StageTiming;

/**
 * The generator's compute: a policy replica and the KV-cache sampler. Each prompt is repeated
 * G times (one group); the batch's sampling seed is mixed with the batch id, so a batch is a pure
 * function of (weights, prompts, params, batch id) — what an exact resume needs.
 */
public final class PolicyRolloutEngine implements RolloutEngine, AutoCloseable {
    private final CausalLm model;
    private final TextTokenizer tokenizer;
    private final NDManager manager;
    private final String node;
    private long version;

    /**
     * @param model the replica; owned (closed) by this engine
     * @param node cluster address reported in stage timings ("" embedded)
     */
    public PolicyRolloutEngine(CausalLm model, TextTokenizer tokenizer, NDManager manager, long version, String node) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.version = version;
        this.node = node;
    }

    @Override
    public RolloutBatch generate(RolloutRequest request) {
        GradMode.offOnThisThread();
        long start = System.nanoTime();
        int g = request.groupSize();
        List<Prompt> prompts = request.prompts();
        int[][] rows = new int[prompts.size() * g][];
        for (int j = 0; j < prompts.size(); j++) {
            for (int k = 0; k < g; k++) {
                rows[j * g + k] = prompts.get(j).tokens();
            }
        }
        SamplingParams sp = request.sampling();
        long seed = mix(sp.seed(), request.batchId());
        SamplingSettings settings = new SamplingSettings(sp.temperature(), sp.topK(), sp.topP(), sp.maxNewTokens(),
                seed, sp.greedy(), sp.learnerTemperature());
        List<Completion> completions = Sampler.generate(model, rows, settings, manager);
        List<Sample> samples = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            Prompt p = prompts.get(i / g);
            Completion c = completions.get(i);
            samples.add(Sample.sampled(p.id(), i / g, p.tokens(), c.tokens(), c.samplerLogprobs(),
                    c.learnerLogprobs(), c.truncated(), p.text(), decode(c.tokens()), p.task(), p.metadata()));
        }
        double millis = (System.nanoTime() - start) / 1e6;
        return RolloutBatch.sampled(request.runId(), request.batchId(), version, sp, samples,
                new StageTiming("generate", millis, node));
    }

    /** Response text without the EOS token (scorers see what a user would read). */
    private String decode(int[] tokens) {
        int n = tokens.length;
        if (n > 0 && tokens[n - 1] == tokenizer.eosId()) {
            n--;
        }
        return tokenizer.decode(Arrays.copyOf(tokens, n));
    }

    @Override
    public void applyWeights(WeightUpdate update) {
        GradMode.offOnThisThread();
        WeightSnapshot snapshot = WeightUpdates.toSnapshot(update); // verifies before touching weights
        snapshot.applyTo(model.parameters());
        version = update.version();
    }

    @Override
    public long policyVersion() {
        return version;
    }

    @Override
    public void close() {
        model.close();
    }

    /** SplitMix64 finaliser over (seed, batch id): distinct, well-spread streams per batch. */
    static long mix(long seed, long batchId) {
        long z = seed + 0x9E3779B97F4A7C15L * (batchId + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
