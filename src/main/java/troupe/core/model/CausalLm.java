package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A decoder-only language model over HF-named parameters.
 *
 * <p>Implementations: {@link LlamaLm} (llama, qwen2) and {@link Gpt2Lm} (gpt2). Create one with
 * {@link CausalLms}. The model owns its {@link ParameterStore}; every intermediate of a forward
 * belongs to the manager of the {@code tokens} array, so callers scope each step with
 * {@code try (NDManager step = ...)}.
 */
public interface CausalLm extends AutoCloseable {

    ModelConfig config();

    ParameterStore parameters();

    /**
     * One forward pass.
     *
     * @param tokens [B, T] int64 token ids (new tokens only when a cache is given)
     * @param positions [B, T] int64 position ids (for left padding: cumsum(mask) − 1)
     * @param attentionMask [B, S] 1 = real token, 0 = padding, over cached + new positions
     *     (S = cache length + T)
     * @param cache keys/values of earlier positions, appended to in place; null for a full pass
     * @return logits [B, T, V] and final hidden states [B, T, C]
     */
    Output forward(NDArray tokens, NDArray positions, NDArray attentionMask, KvCache cache);

    /**
     * As {@link #forward(NDArray, NDArray, NDArray, KvCache)}, with logits and hidden states only
     * at columns [from, to) of the new tokens: the lm head runs on those columns alone (scoring
     * reads the response columns, sampling the last one).
     *
     * @return logits [B, to − from, V] and final hidden states [B, to − from, C]
     */
    default Output forward(NDArray tokens, NDArray positions, NDArray attentionMask, KvCache cache, int from,
            int to) {
        Output all = forward(tokens, positions, attentionMask, cache);
        String cols = columns(from, to);
        return new Output(all.logits().get(cols), all.hidden().get(cols));
    }

    /** The index of columns [from, to) of a [B, T, ·] array. */
    static String columns(int from, int to) {
        return ":, " + from + ":" + to + ", :";
    }

    /** An empty cache for this model, owned by a child of {@code manager}. */
    default KvCache newCache(NDManager manager) {
        return new KvCache(manager, config().numLayers());
    }

    /** As {@link #newCache(NDManager)}, reserving {@code positions} (prompt + new tokens) up front. */
    default KvCache newCache(NDManager manager, int positions) {
        return new KvCache(manager, config().numLayers(), positions);
    }

    @Override
    default void close() {
        parameters().close();
    }

    /**
     * @param logits [B, T, V]
     * @param hidden [B, T, C] after the final norm (input of the lm head and of a value head)
     */
    record Output(NDArray logits, NDArray hidden) {
    }
}
