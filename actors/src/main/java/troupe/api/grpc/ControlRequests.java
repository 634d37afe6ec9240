package troupe.api.grpc;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import troupe.api.ControlException;
import troupe.api.HostPort;
import troupe.api.RemoteScorerSpec;
import troupe.api.WeightingChange;
import troupe.core.reward.Objective;
import troupe.proto.v1.AddRemoteScorerRequest;
import troupe.proto.v1.RemoveScorerRequest;
import troupe.proto.v1.SetWeightingRequest;

/**
 * Control requests → domain values, checking every documented range at the edge. A bad
 * argument throws {@link ControlException#invalid} naming the proto field, so the client reads
 * e.g. {@code target: must be host:port, got 'x'}.
 */
final class ControlRequests {
    /** control.proto: deadline_millis is 1..600000, 0 = default. */
    static final int MAX_DEADLINE_MILLIS = 600_000;

    private ControlRequests() {}

    static WeightingChange weighting(SetWeightingRequest req) {
        return switch (req.getWeightingCase()) {
            case STRATEGY -> {
                String name = req.getStrategy().trim();
                if (name.isEmpty()) {
                    throw ControlException.invalid("strategy", "must name a weighting strategy");
                }
                yield new WeightingChange.Strategy(name);
            }
            case FIXED -> new WeightingChange.Fixed(fixedWeights(req.getFixed().getWeightsMap()));
            case WEIGHTING_NOT_SET -> throw ControlException.invalid("weighting", "set either strategy or fixed");
        };
    }

    private static Map<String, Double> fixedWeights(Map<String, Double> weights) {
        if (weights.isEmpty()) {
            throw ControlException.invalid("fixed.weights", "must name every active objective");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        double sum = 0;
        for (Map.Entry<String, Double> e : new java.util.TreeMap<>(weights).entrySet()) {
            double w = e.getValue();
            if (!Double.isFinite(w) || w < 0) {
                throw ControlException.invalid("fixed.weights[" + e.getKey() + "]", "must be a finite number >= 0, got " + w);
            }
            out.put(e.getKey(), w);
            sum += w;
        }
        if (sum <= 0) {
            throw ControlException.invalid("fixed.weights", "must not all be 0 (they are renormalised to sum 1)");
        }
        return out;
    }

    static RemoteScorerSpec remoteScorer(AddRemoteScorerRequest req) {
        HostPort target;
        try {
            target = HostPort.parse(req.getTarget());
        } catch (IllegalArgumentException e) {
            throw ControlException.invalid("target", e.getMessage());
        }
        Optional<String> name = Optional.of(req.getName()).filter(n -> !n.isEmpty());
        name.ifPresent(n -> {
            try {
                new Objective(n, troupe.core.reward.Direction.MAXIMIZE);
            } catch (IllegalArgumentException e) {
                throw ControlException.invalid("name", "must be 1..64 chars of [A-Za-z0-9_.-], got '" + n + "'");
            }
        });
        if (req.getDirection() == troupe.proto.v1.Direction.UNRECOGNIZED) {
            throw ControlException.invalid("direction", "unknown value " + req.getDirectionValue());
        }
        int deadline = req.getDeadlineMillis();
        // uint32 arrives as a signed int: compare unsigned so 4e9 is "too large", not negative.
        if (Integer.compareUnsigned(deadline, MAX_DEADLINE_MILLIS) > 0) {
            throw ControlException.invalid("deadline_millis",
                    "must be in 1.." + MAX_DEADLINE_MILLIS + " (0 = default), got " + Integer.toUnsignedString(deadline));
        }
        double weight = req.getInitialWeight();
        if (!(weight >= 0 && weight < 1)) {
            throw ControlException.invalid("initial_weight", "must be in [0, 1) (0 = default), got " + weight);
        }
        return new RemoteScorerSpec(
                name,
                target,
                RewardMapping.direction(req.getDirection()),
                deadline == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(deadline)),
                weight == 0 ? OptionalDouble.empty() : OptionalDouble.of(weight));
    }

    static String scorerName(RemoveScorerRequest req) {
        if (req.getName().isEmpty()) {
            throw ControlException.invalid("name", "must name a live objective");
        }
        return req.getName();
    }
}
