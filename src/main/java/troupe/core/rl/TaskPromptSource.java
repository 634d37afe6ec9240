package troupe.core.rl;

import java.util.ArrayList;
import java.util.List;
import troupe.core.engine.Prompt;
import troupe.core.engine.PromptSource;
import troupe.core.model.hf.PromptFormat;
import troupe.core.prompts.EpochOrder;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.task.Task;

/**
 * Training prompts of a built-in task as an endless, seekable stream: a pool of
 * {@code poolSize} prompts drawn once from the task's training split, visited epoch by epoch in
 * an order shuffled per epoch from the run seed. Position p is element p mod N of epoch p / N,
 * so a resumed run that seeks to its checkpointed position sees exactly the prompts it would have.
 */
public final class TaskPromptSource implements PromptSource {
    private final List<Prompt> pool;
    private final long seed;
    private long position;
    private long cachedEpoch = -1;
    private int[] order;

    public TaskPromptSource(Task task, TextTokenizer tokenizer, long seed, int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("prompt pool size must be >= 1, got " + poolSize);
        }
        this.seed = seed;
        this.pool = new ArrayList<>(poolSize);
        for (troupe.core.task.Prompt p : task.trainPrompts(seed, poolSize)) {
            pool.add(toEngine(p, tokenizer));
        }
    }

    /** A task prompt as the generator needs it: tokenised with the policy's prompt format. */
    public static Prompt toEngine(troupe.core.task.Prompt p, TextTokenizer tokenizer) {
        return new Prompt(p.id(), p.text(), PromptFormat.prompt(tokenizer, p.text()), p.task(), p.metadata());
    }

    @Override
    public List<Prompt> next(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        List<Prompt> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long epoch = position / pool.size();
            int index = (int) (position % pool.size());
            out.add(pool.get(orderOf(epoch)[index]));
            position++;
        }
        return out;
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
            order = EpochOrder.of(seed, epoch, pool.size());
            cachedEpoch = epoch;
        }
        return order;
    }
}
