package troupe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import troupe.core.engine.Prompt;
import troupe.core.engine.PromptSource;

/**
 * The prompts of {@code torch_grpo_step.py}'s step 0: rows of {@code length} token ids uniform in
 * [0, vocab), from one stream seeded once ({@code --seed + 1}) and continuing across steps. The
 * pipeline repeats each prompt G times (one group). No text: the bench's objectives read token ids.
 */
final class RandomPrompts implements PromptSource {
    private final int vocab;
    private final int length;
    private final long seed;
    private SplittableRandom rng;
    private long position;

    RandomPrompts(int vocab, int length, long seed) {
        this.vocab = vocab;
        this.length = length;
        this.seed = seed;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public List<Prompt> next(int count) {
        List<Prompt> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] tokens = new int[length];
            for (int t = 0; t < length; t++) {
                tokens[t] = rng.nextInt(vocab);
            }
            out.add(new Prompt("random-" + position++, "", tokens, "bench", Map.of()));
        }
        return out;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long target) {
        rng = new SplittableRandom(seed);
        position = 0;
        next((int) target); // replays the stream up to target
    }
}
