package troupe.core.model.hf;

/**
 * How text becomes a training or generation sequence, shared by SFT and generation so they
 * agree: prompt = [BOS]? + encode(prompt) (BOS when the tokenizer has one), completion =
 * encode(completion) + [EOS]? — the model learns to stop.
 */
public final class PromptFormat {

    private PromptFormat() {
    }

    public static int[] prompt(TextTokenizer t, String text) {
        int[] ids = t.encode(text);
        if (t.bosId() < 0) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = t.bosId();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    public static int[] completion(TextTokenizer t, String text) {
        int[] ids = t.encode(text);
        if (t.eosId() < 0) {
            return ids;
        }
        int[] out = java.util.Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = t.eosId();
        return out;
    }
}
