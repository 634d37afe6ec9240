package troupe.core.rl;

import java.util.List;
import troupe.core.engine.Prompt;
import troupe.core.engine.PromptSource;
import troupe.core.prompts.EpochOrder;
import troupe.core.prompts.PromptDataset;
import troupe.core.prompts.PromptRenderer;

/**
 * Training prompts of a JSONL file ({@code troupe run --data}) as an endless, seekable stream:
 * the training part of the file visited epoch by epoch, in an order shuffled per epoch from the
 * run seed ({@link EpochOrder}, as {@link TaskPromptSource}). Position p is element p mod N of
 * epoch p / N, so a resumed run that seeks to its checkpointed position sees exactly the prompts
 * it would have. Lines are read from the file when handed out, never held.
 */
public final class DatasetPromptSource implements PromptSource {
    private final PromptDataset data;
    private final int[] pool;
    private final PromptRenderer renderer;
    private final long seed;
    private long position;
    private long cachedEpoch = -1;
    private int[] order;

    /**
     * @param pool indices of the training prompts in {@code data}, ≥ 1 of them
     */
    public DatasetPromptSource(PromptDataset data, int[] pool, PromptRenderer renderer, long seed) {
        if (pool.length < 1) {
            throw new IllegalArgumentException(data.file() + ": no training prompts");
        }
        this.data = data;
        this.pool = pool.clone();
        this.renderer = renderer;
        this.seed = seed;
    }

    @Override
    public List<Prompt> next(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        int[] picked = new int[count];
        for (int i = 0; i < count; i++) {
            long epoch = position / pool.length;
            int index = (int) (position % pool.length);
            picked[i] = pool[orderOf(epoch)[index]];
            position++;
        }
        return data.prompts(picked, renderer);
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + newPosition);
        }
        position = newPosition;
    }

    private int[] orderOf(long epoch) {
        if (epoch != cachedEpoch) {
            order = EpochOrder.of(seed, epoch, pool.length);
            cachedEpoch = epoch;
        }
        return order;
    }
}
