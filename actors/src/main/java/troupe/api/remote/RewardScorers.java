package troupe.api.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import troupe.core.reward.RewardScorerFactory;

/** Reward scorer factories registered through {@link ServiceLoader}, looked up by name. */
public final class RewardScorers {
    private RewardScorers() {}

    /** @throws IllegalArgumentException naming the registered factories when none is called {@code name} */
    public static RewardScorerFactory factory(String name) {
        List<String> names = new ArrayList<>();
        for (RewardScorerFactory f : ServiceLoader.load(RewardScorerFactory.class)) {
            if (f.name().equals(name)) {
                return f;
            }
            names.add(f.name());
        }
        throw new IllegalArgumentException("unknown scorer '" + name + "'; registered: "
                + (names.isEmpty() ? "none" : String.join(", ", names.stream().sorted().toList())));
    }
}
