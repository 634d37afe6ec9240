package troupe.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a variant's time went: mean busy milliseconds per step of each pipeline stage (each
 * stage's own timing, so stages that overlap add up to more than the wall time), the weight
 * hand-over to the generators, and process CPU seconds per step (CPU ÷ wall shows how much of
 * the two cores the variant kept busy — and, under load, how much it got).
 */
final class StageProfile {
    /** The stages reported, in pipeline order. */
    static final String[] STAGES = {"generate", "reward", "reference", "learn"};

    private final Map<String, Double> totals = new LinkedHashMap<>();
    private double broadcastMillis;
    private int steps;

    StageProfile() {
        for (String s : STAGES) {
            totals.put(s, 0.0);
        }
    }

    /** True for a reported stage; false for the phases inside one ("reward:correctness", "learn:optimizer"). */
    static boolean isStage(String stage) {
        return java.util.Arrays.asList(STAGES).contains(stage);
    }

    /** Adds {@code millis} of {@code stage} in the current step; stages not reported are ignored. */
    void add(String stage, double millis) {
        totals.computeIfPresent(stage, (k, v) -> v + millis);
    }

    void addBroadcast(double millis) {
        broadcastMillis += millis;
    }

    /** Closes one measured step. */
    void step() {
        steps++;
    }

    /** Mean milliseconds per step of each stage, in {@link #STAGES} order, then "broadcast". */
    Map<String, Double> meanMillis() {
        Map<String, Double> out = new LinkedHashMap<>();
        totals.forEach((k, v) -> out.put(k, steps == 0 ? 0 : v / steps));
        out.put("broadcast", steps == 0 ? 0 : broadcastMillis / steps);
        return out;
    }

    /** CPU time of this process in seconds, every thread. */
    static double processCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9 : Double.NaN;
    }
}
