package troupe.core.rollout;

/**
 * Wall-clock time one stage spent on a batch.
 *
 * @param stage "generate", "reward:&lt;objective&gt;", "reference", "learn", ...
 * @param millis milliseconds, ≥ 0
 * @param node cluster address of the node that ran the stage; empty in embedded mode
 */
public record StageTiming(String stage, double millis, String node) {}
