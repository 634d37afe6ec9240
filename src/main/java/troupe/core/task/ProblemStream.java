package troupe.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Draws problems from a seeded {@link Random} and keeps those of one split. Shared by the
 * built-in tasks so that "deterministic per seed" and "held-out disjoint from train" hold by
 * construction.
 */
final class ProblemStream {

    /** Draw attempts per requested prompt before giving up (the held-out split is ~1/every of the space). */
    private static final int MAX_ATTEMPTS_PER_PROMPT = 10_000;

    private ProblemStream() {}

    static List<Prompt> draw(long seed, int count, boolean heldOut, int every, Function<Random, Prompt> problem) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        Random random = new Random(seed);
        List<Prompt> out = new ArrayList<>(count);
        long attempts = 0;
        while (out.size() < count) {
            if (++attempts > (long) MAX_ATTEMPTS_PER_PROMPT * Math.max(count, 1)) {
                throw new IllegalStateException("problem space too small: found only " + out.size() + " of " + count
                        + (heldOut ? " held-out" : " training") + " prompts");
            }
            Prompt p = problem.apply(random);
            if (Split.isHeldOut(p.id(), every) == heldOut) {
                out.add(p);
            }
        }
        return out;
    }
}
