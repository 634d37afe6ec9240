package troupe.core.reward;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link RunningStats} per objective name; turns a raw reward matrix into per-objective
 * z-scores (ALGORITHMS.md §6, Welford + Chan). Objectives may appear or vanish between batches:
 * statistics are kept by name. Not thread-safe; the learner owns one.
 */
public final class ObjectiveNormalizer {

    private final NormalizationSettings settings;
    private final Map<String, RunningStats> stats = new LinkedHashMap<>();

    public ObjectiveNormalizer(NormalizationSettings settings) {
        this.settings = settings;
    }

    /**
     * Normalises {@code raw[i][k]} (column k belongs to {@code objectives.get(k)}) and folds the
     * batch into the statistics.
     *
     * @return z-scores, same shape [N][K]
     */
    public double[][] normalize(List<String> objectives, double[][] raw) {
        int n = raw.length;
        int k = objectives.size();
        double[][] z = new double[n][k];
        for (int j = 0; j < k; j++) {
            RunningStats s = stats.computeIfAbsent(objectives.get(j), name -> new RunningStats());
            RunningStats batch = new RunningStats();
            for (double[] row : raw) {
                if (row.length != k) {
                    throw new IllegalArgumentException("row has " + row.length + " rewards for " + k + " objectives");
                }
                batch.add(row[j]);
            }
            boolean useHistory = settings.frozenPerBatch() && s.count() >= settings.minCount();
            RunningStats basis = useHistory ? RunningStats.of(s.snapshot()) : RunningStats.merged(s, batch);
            for (int i = 0; i < n; i++) {
                z[i][j] = basis.z(raw[i][j], settings.variance(), settings.eps());
            }
            s.merge(batch.snapshot());
        }
        return z;
    }

    /** Folds partial statistics from a scorer node into an objective's accumulator. */
    public void merge(String objective, RunningStats.Snapshot partial) {
        stats.computeIfAbsent(objective, name -> new RunningStats()).merge(partial);
    }

    /** Forgets an objective that left the run. */
    public void remove(String objective) {
        stats.remove(objective);
    }

    /** Current statistics by objective, for checkpoints and metrics. */
    public Map<String, RunningStats.Snapshot> snapshot() {
        Map<String, RunningStats.Snapshot> out = new LinkedHashMap<>();
        stats.forEach((name, s) -> out.put(name, s.snapshot()));
        return out;
    }

    /** Replaces all statistics with a {@link #snapshot()}. */
    public void restore(Map<String, RunningStats.Snapshot> snapshot) {
        stats.clear();
        snapshot.forEach((name, s) -> stats.put(name, RunningStats.of(s)));
    }
}
