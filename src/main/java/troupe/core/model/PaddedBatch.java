package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Ragged prompts and responses laid out as one [B, S] batch: prompts left-padded to P, responses
 * right-padded to L, S = P + L. Row i is {@code [fill…, prompt_i, response_i, fill…]}.
 *
 * <p>Position ids follow HF {@code generate}: cumsum(mask) − 1 on real tokens, 1 on padding, so
 * a left-padded row computes the same values as the same row unpadded. The logit at column
 * P − 1 + t predicts response token t (ALGORITHMS.md §1).
 *
 * @param tokens [B·S] row-major ids
 * @param positions [B·S] position ids
 * @param mask [B·S] 1 real, 0 padding
 * @param responseMask [B·L] 1 for real response tokens
 */
public record PaddedBatch(long[] tokens, long[] positions, float[] mask, float[] responseMask,
                          int batch, int promptLength, int responseLength) {

    /** Columns S = P + L. */
    public int length() {
        return promptLength + responseLength;
    }

    /** Lays out prompts (non-empty) and responses (may be empty, or null for prompts only). */
    public static PaddedBatch of(int[][] prompts, int[][] responses, int fillId) {
        int b = prompts.length;
        int p = 0;
        int l = 0;
        for (int i = 0; i < b; i++) {
            if (prompts[i].length == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty; a response needs a preceding token");
            }
            p = Math.max(p, prompts[i].length);
            l = Math.max(l, responses == null ? 0 : responses[i].length);
        }
        int s = p + l;
        long[] tokens = new long[b * s];
        long[] positions = new long[b * s];
        float[] mask = new float[b * s];
        float[] responseMask = new float[b * l];
        java.util.Arrays.fill(tokens, fillId);
        java.util.Arrays.fill(positions, 1);
        for (int i = 0; i < b; i++) {
            int[] prompt = prompts[i];
            int start = p - prompt.length;
            int pos = 0;
            for (int j = 0; j < prompt.length; j++) {
                tokens[i * s + start + j] = prompt[j];
                mask[i * s + start + j] = 1f;
                positions[i * s + start + j] = pos++;
            }
            int[] resp = responses == null ? new int[0] : responses[i];
            for (int j = 0; j < resp.length; j++) {
                tokens[i * s + p + j] = resp[j];
                mask[i * s + p + j] = 1f;
                positions[i * s + p + j] = pos++;
                responseMask[i * l + j] = 1f;
            }
        }
        return new PaddedBatch(tokens, positions, mask, responseMask, b, p, l);
    }

    /** Token ids [B, S] as int64. */
    public NDArray tokens(NDManager m) {
        return m.create(tokens, new Shape(batch, length()));
    }

    /** Position ids [B, S] as int64. */
    public NDArray positions(NDManager m) {
        return m.create(positions, new Shape(batch, length()));
    }

    /** Attention mask [B, S] as float32. */
    public NDArray mask(NDManager m) {
        return m.create(mask, new Shape(batch, length()));
    }

    /** Response mask [B, L] as float32. */
    public NDArray responseMask(NDManager m) {
        return m.create(responseMask, new Shape(batch, responseLength));
    }
}
