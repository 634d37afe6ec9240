package troupe.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.StepResult;
import troupe.core.engine.WeightUpdate;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.weighting.WeightingStrategies;

/**
 * Test double: each train call bumps the version by one and records what it saw (batch id,
 * objective names, policy version of the batch). Can be slowed to exercise backpressure.
 */
public final class CountingLearnerEngine implements LearnerEngine {
    public final AtomicInteger trained = new AtomicInteger();
    public final List<Long> batchIds = new CopyOnWriteArrayList<>();
    public final List<List<String>> promptsPerStep = new CopyOnWriteArrayList<>();
    public final List<List<String>> columnsPerStep = new CopyOnWriteArrayList<>();
    public final List<String> added = new CopyOnWriteArrayList<>();
    /** Initial shares the learner passed with joining objectives (Control.AddRemoteScorer's initial_weight). */
    public final java.util.Map<String, Double> shares = new java.util.concurrent.ConcurrentHashMap<>();
    public final List<String> removed = new CopyOnWriteArrayList<>();
    public final List<Path> checkpoints = new CopyOnWriteArrayList<>();
    public final List<String> strategies = new CopyOnWriteArrayList<>();
    private final List<Objective> objectives = new ArrayList<>();
    private volatile long version;
    private volatile long delayMillis;

    public CountingLearnerEngine delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    @Override
    public long policyVersion() {
        return version;
    }

    @Override
    public WeightUpdate currentWeights() {
        return WeightUpdate.of(version, List.of(new byte[] {(byte) version}));
    }

    @Override
    public StepResult train(long step, RolloutBatch batch) {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        batchIds.add(batch.batchId());
        promptsPerStep.add(batch.samples().stream().map(Sample::promptId).toList());
        columnsPerStep.add(batch.objectives().stream().map(Objective::name).toList());
        for (Sample s : batch.samples()) {
            if (s.referenceLogprobs().length != s.responseTokens().length) {
                throw new IllegalStateException("batch " + batch.batchId() + " reached the learner without reference");
            }
        }
        version++;
        trained.incrementAndGet();
        List<StepResult.ObjectiveStat> stats = new ArrayList<>();
        for (int k = 0; k < batch.objectives().size(); k++) {
            Objective o = batch.objectives().get(k);
            double mean = 0;
            for (Sample s : batch.samples()) {
                mean += s.rewards()[k] / batch.size();
            }
            stats.add(new StepResult.ObjectiveStat(o.name(), o.direction(), mean, 0, mean, mean, 0, 0,
                    1.0 / batch.objectives().size(), false, Double.NaN));
        }
        return new StepResult(version, currentWeights(), stats, "fixed", 0.5, 1, 0, List.of(), 0,
                new StepResult.Kl(0.01, 0.03, Math.sqrt(0.03), 0.001, "k3"),
                new StepResult.Entropy(1.2, 5, 0.9, 1.1, 1.0),
                new StepResult.Loss(0.3, 0.2, 0, 0.1, 0, 1.5, 1e-5),
                new StepResult.Clip(0.1, 0, 0.01, 0.001, 1.0, 1.2),
                new StepResult.Lengths(3, 3, 3, 0, Double.NaN, Double.NaN, 0));
    }

    @Override
    public synchronized List<Objective> objectives() {
        return List.copyOf(objectives);
    }

    @Override
    public synchronized void addObjective(Objective objective, java.util.OptionalDouble initialShare) {
        objectives.add(objective);
        added.add(objective.name());
        initialShare.ifPresent(s -> shares.put(objective.name(), s));
    }

    @Override
    public synchronized void removeObjective(String name) {
        objectives.removeIf(o -> o.name().equals(name));
        removed.add(name);
    }

    /** Weights as given (renormalised) or equal; unknown strategy names are refused like the real engine. */
    @Override
    public synchronized Map<String, Double> setWeighting(String strategy, Map<String, Double> initialWeights) {
        if (!WeightingStrategies.names().contains(strategy)) {
            throw new IllegalArgumentException("unknown weighting strategy '" + strategy + "'; supported: "
                    + WeightingStrategies.names());
        }
        Map<String, Double> out = new TreeMap<>();
        double sum = initialWeights.values().stream().mapToDouble(Double::doubleValue).sum();
        objectives.forEach(o -> out.put(o.name(), initialWeights.isEmpty() ? 1.0 / objectives.size()
                : initialWeights.getOrDefault(o.name(), 0.0) / sum));
        strategies.add(strategy);
        return out;
    }

    @Override
    public void saveCheckpoint(Path dir) throws IOException {
        Files.writeString(dir.resolve("engine.txt"), "version=" + version);
        checkpoints.add(dir);
    }

    @Override
    public void restore(Path dir) throws IOException {
        String s = Files.readString(dir.resolve("engine.txt"));
        version = Long.parseLong(s.substring(s.indexOf('=') + 1).trim());
    }
}
