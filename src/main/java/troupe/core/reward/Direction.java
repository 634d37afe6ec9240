package troupe.core.reward;

/** Whether larger or smaller raw scores are better for an objective. */
public enum Direction {
    MAXIMIZE,
    MINIMIZE;

    /** +1 for {@link #MAXIMIZE}, −1 for {@link #MINIMIZE}: multiply a raw score by it to get "larger is better". */
    public double sign() {
        return this == MAXIMIZE ? 1.0 : -1.0;
    }
}
