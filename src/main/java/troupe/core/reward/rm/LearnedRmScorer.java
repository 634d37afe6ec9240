package troupe.core.reward.rm;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.RewardScorerFactory;
import troupe.core.reward.ScoreInput;

/**
 * A learned reward model as an objective (registry name {@value #NAME}): loads a folder written
 * by {@code troupe train-rm} ({@link RewardModelFolder}) and scores each sample as
 * r(prompt text, response text) — re-encoded with the reward model's own tokenizer, so the
 * policy may use another — in batches of {@code batchSize} sequences. Maximised; unbounded units
 * (normalise downstream). Owns native memory: {@link #close()} frees it.
 */
public final class LearnedRmScorer implements RewardScorer, AutoCloseable {

    public static final String NAME = "learned-rm";

    /**
     * Defaults in {@code troupe.rewards.defaults.learned-rm} (reference.conf).
     *
     * @param model reward-model folder (required, no default)
     * @param objective objective name
     * @param batchSize sequences per forward ≥ 1
     * @param maxLength tokens kept per sequence (the last ones) ≥ 2
     */
    public record Settings(Path model, String objective, int batchSize, int maxLength) {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("model", "objective", "batch-size", "max-length"));
            return new Settings(Path.of(r.string("model")), r.string("objective"),
                    r.intIn("batch-size", 1, Integer.MAX_VALUE), r.intIn("max-length", 2, Integer.MAX_VALUE));
        }
    }

    private final Settings settings;
    private final Objective objective;
    private final NDManager manager;
    private final RewardModel rm;

    public LearnedRmScorer(Settings settings) throws IOException {
        this.settings = settings;
        this.objective = new Objective(settings.objective(), Direction.MAXIMIZE,
                "learned reward model " + settings.model().getFileName());
        this.manager = NDManager.newBaseManager();
        try {
            this.rm = RewardModelFolder.load(settings.model(), manager, settings.maxLength());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public Objective objective() {
        return objective;
    }

    @Override
    public float[] score(List<ScoreInput> batch) {
        return rm.score(batch.stream().map(ScoreInput::promptText).toList(),
                batch.stream().map(ScoreInput::responseText).toList(), settings.batchSize(), manager);
    }

    @Override
    public void close() {
        rm.close();
        manager.close();
    }

    /** Registry entry {@value #NAME}; keys {@code model}, {@code objective}, {@code batch-size}, {@code max-length}. */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public RewardScorer create(ConfigReader block) {
            try {
                return new LearnedRmScorer(Settings.fromConfig(block));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load reward model: " + e.getMessage(), e);
            }
        }

        /** Settings only: loading the model is what start-up does, not what a check should cost. */
        @Override
        public void check(ConfigReader block) {
            Settings.fromConfig(block);
        }
    }
}
