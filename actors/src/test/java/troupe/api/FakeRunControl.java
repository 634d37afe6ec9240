package troupe.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;

/** A RunControl over in-memory state that records what it was asked, for tests of the edges. */
public class FakeRunControl implements RunControl {
    public static final List<String> STRATEGIES = List.of("fixed", "hypervolume", "maxmin");

    public final Map<String, ObjectiveInfo> objectives = new LinkedHashMap<>();
    public final List<Object> calls = new ArrayList<>();
    public RunState state = RunState.RUNNING;
    public String strategy = "fixed";
    public RunRoles readiness = RunRoles.UNKNOWN;

    public FakeRunControl() {
        add(new ObjectiveInfo(new Objective("correct", Direction.MAXIMIZE, "exact answer"), 0.5,
                ScorerState.ACTIVE, "local:Correctness", 0, ""));
        add(new ObjectiveInfo(new Objective("length", Direction.MINIMIZE), 0.5,
                ScorerState.ACTIVE, "local:Length", 1, "deadline"));
    }

    private void add(ObjectiveInfo o) {
        objectives.put(o.objective().name(), o);
    }

    @Override
    public synchronized CompletionStage<RunStatus> status() {
        calls.add("status");
        return done(new RunStatus("run-1", state, 12, 100, 12,
                Map.of("learner", List.of("local")), strategy, "runs/run-1/checkpoints/10", Duration.ofMillis(1500), "",
                readiness));
    }

    @Override
    public synchronized CompletionStage<List<ObjectiveInfo>> listObjectives() {
        calls.add("list");
        return done(List.copyOf(objectives.values()));
    }

    @Override
    public synchronized CompletionStage<WeightingState> setWeighting(WeightingChange change) {
        calls.add(change);
        if (change instanceof WeightingChange.Strategy s) {
            if (!STRATEGIES.contains(s.name())) {
                return failed(ControlException.invalid("strategy", "unknown '" + s.name() + "'; supported: " + STRATEGIES));
            }
            strategy = s.name();
            return done(new WeightingState(strategy, Map.of()));
        }
        Map<String, Double> w = ((WeightingChange.Fixed) change).weights();
        if (!w.keySet().equals(objectives.keySet())) {
            return failed(ControlException.invalid("fixed.weights", "must name every active objective " + objectives.keySet()));
        }
        double sum = w.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> norm = new LinkedHashMap<>();
        w.forEach((k, v) -> norm.put(k, v / sum));
        strategy = "fixed";
        return done(new WeightingState("fixed", norm));
    }

    @Override
    public synchronized CompletionStage<ObjectiveInfo> addRemoteScorer(RemoteScorerSpec spec) {
        calls.add(spec);
        String name = spec.name().orElse("remote");
        if (objectives.containsKey(name)) {
            return failed(ControlException.alreadyExists("name", "objective '" + name + "' is live"));
        }
        ObjectiveInfo o = new ObjectiveInfo(new Objective(name, spec.direction().orElse(Direction.MAXIMIZE)),
                spec.initialWeight().orElse(0.1), ScorerState.JOINING, "remote:" + spec.target(), 0, "");
        add(o);
        return done(o);
    }

    @Override
    public synchronized CompletionStage<Void> removeScorer(String name) {
        calls.add("remove " + name);
        if (objectives.remove(name) == null) {
            return failed(ControlException.notFound("name", "no live objective '" + name + "'"));
        }
        return done(null);
    }

    @Override
    public synchronized CompletionStage<RunState> pause() {
        calls.add("pause");
        state = RunState.PAUSED;
        return done(state);
    }

    @Override
    public synchronized CompletionStage<RunState> resume() {
        calls.add("resume");
        if (state == RunState.STOPPING) {
            return failed(ControlException.failedPrecondition("the run is stopping"));
        }
        state = RunState.RUNNING;
        return done(state);
    }

    @Override
    public synchronized CompletionStage<CheckpointInfo> checkpoint() {
        calls.add("checkpoint");
        return done(new CheckpointInfo("runs/run-1/checkpoints/12", 12));
    }

    @Override
    public synchronized CompletionStage<RunState> stop(boolean checkpointFirst) {
        calls.add("stop " + checkpointFirst);
        state = RunState.STOPPING;
        return done(state);
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static <T> CompletionStage<T> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }
}
