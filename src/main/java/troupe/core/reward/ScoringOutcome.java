package troupe.core.reward;


/** What one scorer produced for one batch: a valid column, or a typed fault. Never an exception. */
public sealed interface ScoringOutcome {

    /** Name of the objective the scorer fills ("unknown" when the scorer could not even say). */
    String objectiveName();

    /** Wall-clock time spent, milliseconds. */
    double millis();

    /**
     * A column that passed validation: one finite score per input, in input order.
     *
     * @param objective the scorer's objective
     * @param scores the column (owned by the outcome; callers must not modify it)
     */
    record Scored(Objective objective, float[] scores, double millis) implements ScoringOutcome {
        @Override
        public String objectiveName() {
            return objective.name();
        }
    }

    /** The scorer failed; the batch goes on without this objective. */
    record Faulted(ScorerFault fault, double millis) implements ScoringOutcome {
        @Override
        public String objectiveName() {
            return fault.objective();
        }
    }
}
