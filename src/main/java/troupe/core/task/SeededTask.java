package troupe.core.task;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the built-in tasks share: problems drawn from a seeded generator, split into training and
 * held-out by {@link Split}, verified against the answer in the prompt's metadata.
 */
abstract class SeededTask implements Task {
    private final String name;
    private final int heldOutEvery;

    /** @param heldOutEvery one problem in this many is held out, ≥ 2 */
    SeededTask(String name, int heldOutEvery) {
        this.name = name;
        this.heldOutEvery = heldOutEvery;
    }

    /** One problem from the generator's next draws. */
    abstract Prompt problem(Random random);

    /**
     * The score of a stripped response against a non-empty answer.
     *
     * @param answer the canonical answer, never null or empty
     * @param response the response without surrounding whitespace
     */
    abstract double score(String answer, String response);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<Prompt> trainPrompts(long seed, int count) {
        return ProblemStream.draw(seed, count, false, heldOutEvery, this::problem);
    }

    @Override
    public final List<Prompt> heldOutPrompts(long seed, int count) {
        return ProblemStream.draw(seed, count, true, heldOutEvery, this::problem);
    }

    /** 0 for a missing answer or response (never throws), else {@link #score} of the stripped response. */
    @Override
    public final double verify(Map<String, String> metadata, String response) {
        String answer = metadata.get(Prompt.ANSWER);
        if (answer == null || answer.isEmpty() || response == null) {
            return 0;
        }
        return score(answer, response.strip());
    }
}
