package troupe.api.grpc;

import java.util.Optional;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.ScoreInput;
import troupe.proto.v1.ObjectiveSpec;
import troupe.proto.v1.ScoreItem;

/** Reward wire types ↔ core domain types; the only place either side sees the other. */
public final class RewardMapping {
    private RewardMapping() {}

    /** Empty for DIRECTION_UNSPECIFIED (and values from a newer proto), which mean "not given". */
    public static Optional<Direction> direction(troupe.proto.v1.Direction d) {
        return switch (d) {
            case MAXIMIZE -> Optional.of(Direction.MAXIMIZE);
            case MINIMIZE -> Optional.of(Direction.MINIMIZE);
            default -> Optional.empty();
        };
    }

    public static troupe.proto.v1.Direction direction(Direction d) {
        return d == Direction.MAXIMIZE ? troupe.proto.v1.Direction.MAXIMIZE : troupe.proto.v1.Direction.MINIMIZE;
    }

    public static ObjectiveSpec spec(Objective o) {
        return ObjectiveSpec.newBuilder()
                .setName(o.name())
                .setDirection(direction(o.direction()))
                .setDescription(o.description())
                .build();
    }

    /** @throws IllegalArgumentException for a bad name or a missing direction */
    public static Objective objective(ObjectiveSpec spec) {
        Direction d = direction(spec.getDirection())
                .orElseThrow(() -> new IllegalArgumentException("objective '" + spec.getName() + "' has no direction"));
        return new Objective(spec.getName(), d, spec.getDescription());
    }

    public static ScoreItem item(ScoreInput in) {
        ScoreItem.Builder b = ScoreItem.newBuilder()
                .setPromptText(in.promptText() == null ? "" : in.promptText())
                .setResponseText(in.responseText() == null ? "" : in.responseText())
                .setTask(in.task())
                .putAllMetadata(in.metadata())
                .setTruncated(in.truncated());
        for (int t : in.promptTokens()) {
            b.addPromptTokens(t);
        }
        for (int t : in.responseTokens()) {
            b.addResponseTokens(t);
        }
        return b.build();
    }

    public static ScoreInput input(ScoreItem item) {
        return new ScoreInput(
                item.getPromptText(),
                item.getResponseText(),
                item.getPromptTokensList().stream().mapToInt(Integer::intValue).toArray(),
                item.getResponseTokensList().stream().mapToInt(Integer::intValue).toArray(),
                item.getTask(),
                item.getMetadataMap(),
                item.getTruncated());
    }
}
