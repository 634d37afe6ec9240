package troupe.core.prompts;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import troupe.core.engine.Prompt;
import troupe.core.model.CausalLm;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.hf.TokenizerIo;
import troupe.core.model.sampling.Completion;
import troupe.core.model.sampling.Sampler;
import troupe.core.model.sampling.SamplingSettings;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;

/**
 * Held-out reward of a policy on dataset prompts it never trained on, with the run's own scorers:
 * decode each prompt once ({@link Sampler}, batched), score the responses with every scorer, and
 * report per objective
 * <pre>
 * mean_o = (1/n) Σ_i score_o(x_i, y_i)
 * </pre>
 * in the objective's own units. A scorer that throws or returns a wrong count or a non-finite
 * value has no mean (NaN) rather than stopping the summary.
 */
public final class HeldOutRewards {
    /** Prompts per sampler call. */
    public static final int BATCH = 64;

    private HeldOutRewards() {
    }

    /** Loads the folder and evaluates it. */
    public static Map<String, Double> run(Path modelDir, List<Prompt> prompts, List<RewardScorer> scorers,
            SamplingSettings sampling) throws IOException {
        try (NDManager root = NDManager.newBaseManager();
             CausalLm lm = HfFolder.loadModel(modelDir, root);
             TextTokenizer tok = TokenizerIo.load(modelDir, lm.config())) {
            return run(lm, tok, prompts, scorers, sampling, root);
        }
    }

    /** Evaluates a loaded model: objective name → mean score, in scorer order. */
    public static Map<String, Double> run(CausalLm lm, TextTokenizer tok, List<Prompt> prompts,
            List<RewardScorer> scorers, SamplingSettings sampling, NDManager manager) {
        List<ScoreInput> inputs = new ArrayList<>(prompts.size());
        for (int from = 0; from < prompts.size(); from += BATCH) {
            List<Prompt> chunk = prompts.subList(from, Math.min(prompts.size(), from + BATCH));
            int[][] ids = new int[chunk.size()][];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = chunk.get(i).tokens();
            }
            // A different stream per chunk, so two chunks never replay the same random draws.
            List<Completion> out = Sampler.generate(lm, ids, sampling.withSeed(sampling.seed() + from), manager);
            for (int i = 0; i < ids.length; i++) {
                Prompt p = chunk.get(i);
                Completion c = out.get(i);
                inputs.add(new ScoreInput(p.text(), tok.decode(c.tokens()), p.tokens(), c.tokens(), p.task(),
                        p.metadata(), c.truncated()));
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        for (RewardScorer s : scorers) {
            means.put(s.objective().name(), mean(s, inputs));
        }
        return means;
    }

    private static double mean(RewardScorer s, List<ScoreInput> inputs) {
        float[] scores;
        try {
            scores = s.score(inputs);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
        if (scores == null || scores.length != inputs.size()) {
            return Double.NaN;
        }
        double sum = 0;
        for (float v : scores) {
            sum += v;
        }
        return sum / inputs.size();
    }
}
