package troupe.core.reward;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One column of the reward vector: a unique name within a run and its direction.
 *
 * @param name 1..64 chars of {@code [A-Za-z0-9_.-]}; used as a metric label
 * @param direction whether larger raw scores are better
 * @param description free text for listings and the dashboard
 */
public record Objective(String name, Direction direction, String description) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public Objective {
        Objects.requireNonNull(direction, "direction");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "objective name must be 1..64 chars of [A-Za-z0-9_.-], got '" + name + "'");
        }
        description = description == null ? "" : description;
    }

    public Objective(String name, Direction direction) {
        this(name, direction, "");
    }
}
