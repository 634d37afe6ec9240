package troupe.core.engine;

import java.util.List;

/**
 * The prompts a run trains on, in a deterministic order given the run's seed.
 *
 * <p>The position counts prompts handed out so far. Restoring a saved position replays exactly
 * the prompts that followed it, which is what an exact resume from a checkpoint needs.
 */
public interface PromptSource {

    /**
     * The next {@code count} prompts; advances the position by {@code count}. An epoch-based
     * source wraps around (reshuffled with a seed derived from the run seed and the epoch) rather
     * than running dry.
     *
     * @param count ≥ 1
     */
    List<Prompt> next(int count);

    /** Prompts handed out so far, ≥ 0. */
    long position();

    /** Makes the next {@link #next(int)} return what it returned after {@code position} prompts. */
    void seek(long position);
}
