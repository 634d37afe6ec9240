package troupe.core.reward.judge;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;
import troupe.core.model.CausalLm;
import troupe.core.model.GradMode;
import troupe.core.model.PaddedBatch;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.PromptFormat;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.hf.TokenizerIo;
import troupe.core.model.sampling.Completion;
import troupe.core.model.sampling.Sampler;
import troupe.core.model.sampling.SamplingSettings;
import troupe.core.reward.Direction;
import troupe.core.reward.ExplainedScorer;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.RewardScorerFactory;
import troupe.core.reward.ScoreInput;

/**
 * An LLM as judge (registry name {@value #NAME}): a second model folder reads each sample through
 * a {@link JudgeTemplate} — re-encoded with the judge's own tokenizer, so the policy may use
 * another — and scores it in [0, 1], maximised:
 * <ul>
 * <li>{@code verdict}: P(yes) / (P(yes) + P(no)) of the token after the rendered prompt, i.e.
 * σ(z_yes − z_no) of the two logits (the softmax normaliser cancels; the G-Eval / "LLM-as-a-judge"
 * probability-of-verdict score);</li>
 * <li>{@code number}: greedy decoding of up to {@code max-new-tokens}; the first number n in the
 * output scores clamp(n / max-score, 0, 1), and no number scores 0.</li>
 * </ul>
 * Each rendered prompt is [BOS]? + text ({@link PromptFormat}), cut from the left to
 * {@code max-length} tokens (the question at the end survives). A sample whose metadata lacks a
 * field the template names scores 0 with the outcome {@code missing field NAME}: a data problem,
 * not a scorer fault. Owns native memory: {@link #close()} frees it.
 */
public final class LlmJudgeScorer implements ExplainedScorer, AutoCloseable {

    public static final String NAME = "llm-judge";

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)");

    private final JudgeSettings settings;
    private final Objective objective;
    private final NDManager manager;
    private final CausalLm lm;
    private final TextTokenizer tokenizer;
    private final int yesId;
    private final int noId;

    /**
     * Loads the judge and checks the verdict strings against its tokenizer.
     *
     * @throws SettingsException naming {@code yes}/{@code no} (under {@code key}) when a verdict is
     *     not exactly one token
     */
    public LlmJudgeScorer(JudgeSettings settings, String key) throws IOException {
        this.settings = settings;
        this.objective = new Objective(settings.objective(), Direction.MAXIMIZE,
                "LLM judge " + settings.model().getFileName() + " (" + settings.mode().name().toLowerCase(Locale.ROOT)
                        + ")");
        this.manager = NDManager.newBaseManager();
        try {
            GradMode.offOnThisThread();
            this.lm = HfFolder.loadModel(settings.model(), manager);
            this.tokenizer = TokenizerIo.load(settings.model(), lm.config());
            this.yesId = oneToken(settings.yes(), key + "yes");
            this.noId = oneToken(settings.no(), key + "no");
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private int oneToken(String verdict, String key) {
        int[] ids = tokenizer.encode(verdict);
        if (ids.length != 1) {
            throw SettingsException.because(key, "\"" + verdict + "\" is " + ids.length + " tokens of the judge's "
                    + "tokenizer " + Arrays.toString(ids) + "; a verdict must be exactly one token");
        }
        return ids[0];
    }

    @Override
    public Objective objective() {
        return objective;
    }

    @Override
    public List<Explained> explain(List<ScoreInput> batch) {
        GradMode.offOnThisThread(); // actors call from pooled threads
        Explained[] out = new Explained[batch.size()];
        List<Integer> rows = new ArrayList<>();
        List<int[]> seqs = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            JudgeTemplate.Rendered r = settings.template().render(batch.get(i));
            int[] ids = r.missing().isPresent() ? null : encode(r.text());
            if (ids == null) {
                out[i] = new Explained(0f, "missing field " + r.missing().get());
            } else if (ids.length == 0) { // "{response}" alone, an empty response, no BOS: nothing to read
                out[i] = new Explained(0f, "empty prompt");
            } else {
                rows.add(i);
                seqs.add(ids);
            }
        }
        for (int from = 0; from < rows.size(); from += settings.batchSize()) {
            int to = Math.min(rows.size(), from + settings.batchSize());
            int[][] chunk = seqs.subList(from, to).toArray(new int[0][]);
            List<Explained> scored = settings.mode() == JudgeSettings.Mode.VERDICT ? verdicts(chunk) : numbers(chunk);
            for (int j = 0; j < scored.size(); j++) {
                out[rows.get(from + j)] = scored.get(j);
            }
        }
        return List.of(out);
    }

    /** [BOS]? + text, keeping the last tokens that fit the context (less the decode budget). */
    int[] encode(String text) {
        int budget = settings.mode() == JudgeSettings.Mode.NUMBER ? settings.maxNewTokens() : 0;
        int keep = Math.max(1, Math.min(settings.maxLength(), lm.config().maxPositions() - budget));
        int[] ids = PromptFormat.prompt(tokenizer, text);
        return ids.length <= keep ? ids : Arrays.copyOfRange(ids, ids.length - keep, ids.length);
    }

    private List<Explained> verdicts(int[][] seqs) {
        PaddedBatch b = PaddedBatch.of(seqs, null, lm.config().fillTokenId());
        int s = b.length();
        List<Explained> out = new ArrayList<>();
        try (NDManager m = manager.newSubManager()) {
            // Left padding puts every row's last real token in the last column.
            float[] logits = lm.forward(b.tokens(m), b.positions(m), b.mask(m), null, s - 1, s).logits()
                    .toFloatArray(); // [B, 1, V]
            int v = lm.config().vocabSize();
            for (int i = 0; i < seqs.length; i++) {
                double p = 1 / (1 + Math.exp((double) logits[i * v + noId] - logits[i * v + yesId]));
                out.add(new Explained((float) p, String.format(Locale.ROOT, "p(yes)=%.2f", p)));
            }
        }
        return out;
    }

    private List<Explained> numbers(int[][] seqs) {
        SamplingSettings greedy = new SamplingSettings(1.0, 0, 1.0, settings.maxNewTokens(), 0L, true, 1.0);
        List<Explained> out = new ArrayList<>();
        for (Completion c : Sampler.generate(lm, seqs, greedy, manager)) {
            out.add(numberScore(tokenizer.decode(c.tokens()), settings.maxScore()));
        }
        return out;
    }

    /** The first number in {@code text} (sign and decimals kept), if any. */
    static OptionalDouble firstNumber(String text) {
        Matcher m = NUMBER.matcher(text);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group())) : OptionalDouble.empty();
    }

    /** clamp(first number / maxScore, 0, 1) with outcome {@code n/max}, or 0 with {@code no number}. */
    static Explained numberScore(String text, double maxScore) {
        OptionalDouble n = firstNumber(text);
        if (n.isEmpty()) {
            return new Explained(0f, "no number");
        }
        float score = (float) Math.min(1, Math.max(0, n.getAsDouble() / maxScore));
        return new Explained(score, compact(n.getAsDouble()) + "/" + compact(maxScore));
    }

    private static String compact(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    @Override
    public void close() {
        tokenizer.close();
        lm.close();
        manager.close();
    }

    /** Registry entry {@value #NAME}; keys as {@link JudgeSettings}. */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public RewardScorer create(ConfigReader block) {
            try {
                return new LlmJudgeScorer(JudgeSettings.fromConfig(block), block.key(""));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load judge model: " + e.getMessage(), e);
            }
        }
    }
}
