package troupe.core.task;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import troupe.core.model.CausalLm;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.PromptFormat;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.hf.TokenizerIo;
import troupe.core.model.sampling.Completion;
import troupe.core.model.sampling.Sampler;
import troupe.core.model.sampling.SamplingSettings;

/**
 * Held-out accuracy of a policy on a task: decode {@code n} held-out prompts (formatted with
 * {@link PromptFormat}, batched through {@link Sampler}), verify each decoded response with the
 * task, and report
 * <pre>
 * accuracy   = (1/n) Σ 1[verify(y_i) = 1]      exact answers
 * meanScore  = (1/n) Σ verify(y_i)             with the task's partial credit
 * meanChars  = (1/n) Σ |decode(y_i)|           characters, special tokens skipped
 * meanTokens = (1/n) Σ |y_i|                   tokens, EOS included
 * </pre>
 * The prompts are {@code task.heldOutPrompts(promptSeed, n)}, so every model is measured on the
 * same list; sampled runs draw from {@code SplittableRandom(sampling.seed)} split per batch row.
 */
public final class HeldOutEval {

    private HeldOutEval() {
    }

    /**
     * @param count held-out prompts n ≥ 1; default 200 (±3.5 points standard error at 50%)
     * @param batchSize prompts per sampler call ≥ 1; default 100
     * @param promptSeed seed of the held-out prompt stream; default 0
     * @param sampling decoding settings; default greedy, 16 new tokens (both built-in tasks answer
     *     in ≤ 9 tokens with EOS; a longer response is wrong anyway)
     */
    public record Settings(int count, int batchSize, long promptSeed, SamplingSettings sampling) {
        /** Tokens decoded per prompt by default. */
        public static final int DEFAULT_MAX_NEW = 16;

        public Settings {
            if (count < 1 || batchSize < 1) {
                throw new IllegalArgumentException("count and batch size must be >= 1, got " + count + ", " + batchSize);
            }
        }

        public static Settings defaults() {
            return new Settings(200, 100, 0L,
                    SamplingSettings.defaults().withGreedy(true).withMaxNewTokens(DEFAULT_MAX_NEW));
        }

        public Settings withCount(int n) {
            return new Settings(n, batchSize, promptSeed, sampling);
        }

        public Settings withSampling(SamplingSettings s) {
            return new Settings(count, batchSize, promptSeed, s);
        }
    }

    /**
     * @param count prompts evaluated
     * @param accuracy fraction with verify = 1
     * @param meanScore mean verifier score
     * @param meanChars mean decoded response length in characters
     * @param meanTokens mean response length in tokens, EOS included
     * @param seconds wall time of decoding and verification
     */
    public record Result(int count, double accuracy, double meanScore, double meanChars, double meanTokens,
                         double seconds) {
    }

    /** Loads the folder and evaluates it. */
    public static Result run(Path modelDir, Task task, Settings s) throws IOException {
        try (NDManager root = NDManager.newBaseManager();
             CausalLm lm = HfFolder.loadModel(modelDir, root);
             TextTokenizer tok = TokenizerIo.load(modelDir, lm.config())) {
            return run(lm, tok, task, s, root);
        }
    }

    /** Evaluates a loaded model; arrays allocated here are freed before returning. */
    public static Result run(CausalLm lm, TextTokenizer tok, Task task, Settings s, NDManager manager) {
        long start = System.nanoTime();
        List<Prompt> prompts = task.heldOutPrompts(s.promptSeed(), s.count());
        double exact = 0;
        double score = 0;
        long chars = 0;
        long tokens = 0;
        for (int from = 0; from < prompts.size(); from += s.batchSize()) {
            List<Prompt> chunk = prompts.subList(from, Math.min(prompts.size(), from + s.batchSize()));
            int[][] ids = new int[chunk.size()][];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = PromptFormat.prompt(tok, chunk.get(i).text());
            }
            // A different stream per chunk, so two chunks never replay the same random draws.
            SamplingSettings sampling = s.sampling().withSeed(s.sampling().seed() + from);
            List<Completion> out = Sampler.generate(lm, ids, sampling, manager);
            for (int i = 0; i < ids.length; i++) {
                String text = tok.decode(out.get(i).tokens());
                double v = task.verify(chunk.get(i).metadata(), text);
                exact += v == 1.0 ? 1 : 0;
                score += v;
                chars += text.length();
                tokens += out.get(i).length();
            }
        }
        double n = prompts.size();
        return new Result(prompts.size(), exact / n, score / n, chars / n, tokens / n,
                (System.nanoTime() - start) / 1e9);
    }
}
