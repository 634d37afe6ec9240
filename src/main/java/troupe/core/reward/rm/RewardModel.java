package troupe.core.reward.rm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import troupe.core.model.CausalLm;
import troupe.core.model.PaddedBatch;
import troupe.core.model.hf.PromptFormat;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.ValueHead;

/**
 * A learned reward model: the decoder's final hidden state at the last real token of
 * {@code prompt ⧺ response ⧺ EOS}, through a scalar {@link ValueHead}:
 * <pre>
 * r(x, y) = w · h_T + b,   h_T = hidden[last token of [BOS] x y [EOS]]   (InstructGPT-style RM head)
 * </pre>
 * The sequence is built with {@link PromptFormat} (the same tokens a policy trained by SFT sees);
 * the EOS makes the scored position the same kind of token for every response. Sequences are
 * left-padded ({@link PaddedBatch}), so the last column is every row's last real token.
 * Owns the model, the head and the tokenizer.
 */
public final class RewardModel implements AutoCloseable {

    private final CausalLm lm;
    private final ValueHead head;
    private final TextTokenizer tokenizer;
    private final int maxLength;

    /**
     * @param maxLength tokens kept per sequence; longer ones keep their last {@code maxLength}
     *     tokens (the scored end), capped at the model's context
     */
    public RewardModel(CausalLm lm, ValueHead head, TextTokenizer tokenizer, int maxLength) {
        this.lm = lm;
        this.head = head;
        this.tokenizer = tokenizer;
        this.maxLength = Math.min(maxLength, lm.config().maxPositions());
    }

    public CausalLm lm() {
        return lm;
    }

    public ValueHead head() {
        return head;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** Token ids of (prompt, response) as scored: [BOS] prompt response [EOS], cut to the last maxLength. */
    public int[] encode(String prompt, String response) {
        int[] p = PromptFormat.prompt(tokenizer, prompt);
        int[] r = PromptFormat.completion(tokenizer, response);
        int[] all = Arrays.copyOf(p, p.length + r.length);
        System.arraycopy(r, 0, all, p.length, r.length);
        return all.length <= maxLength ? all : Arrays.copyOfRange(all, all.length - maxLength, all.length);
    }

    /** Rewards [B] of encoded sequences, attached to the autograd graph when one is recording; arrays on {@code m}. */
    public NDArray rewards(int[][] sequences, NDManager m) {
        PaddedBatch batch = PaddedBatch.of(sequences, null, lm.config().fillTokenId());
        CausalLm.Output out = lm.forward(batch.tokens(m), batch.positions(m), batch.mask(m), null);
        NDArray last = out.hidden().get(":, -1:, :"); // [B, 1, C]
        return head.values(last).squeeze(1); // [B]
    }

    /** Host rewards of (prompt, response) pairs, {@code batchSize} sequences per forward. */
    public float[] score(List<String> prompts, List<String> responses, int batchSize, NDManager parent) {
        if (prompts.size() != responses.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + responses.size() + " responses");
        }
        float[] out = new float[prompts.size()];
        for (int from = 0; from < out.length; from += batchSize) {
            int to = Math.min(out.length, from + batchSize);
            int[][] seqs = new int[to - from][];
            for (int i = from; i < to; i++) {
                seqs[i - from] = encode(prompts.get(i), responses.get(i));
            }
            try (NDManager m = parent.newSubManager()) {
                float[] r = rewards(seqs, m).toFloatArray();
                System.arraycopy(r, 0, out, from, r.length);
            }
        }
        return out;
    }

    @Override
    public void close() {
        head.close();
        lm.close();
        tokenizer.close();
    }
}
