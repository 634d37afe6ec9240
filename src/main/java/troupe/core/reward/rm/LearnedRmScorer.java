package troupe.core.reward.rm;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import troupe.core.reward.ConfigKeys;
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
     * @param model reward-model folder (required)
     * @param objective objective name; default "preference"
     * @param batchSize sequences per forward ≥ 1; default 32
     * @param maxLength tokens kept per sequence (the last ones) ≥ 2; default 256
     */
    public record Settings(Path model, String objective, int batchSize, int maxLength) {
        public Settings {
            if (model == null) {
                throw new IllegalArgumentException("learned-rm scorer needs 'model' = a reward model folder");
            }
            if (batchSize < 1 || maxLength < 2) {
                throw new IllegalArgumentException("learned-rm needs batch-size >= 1 and max-length >= 2, got "
                        + batchSize + ", " + maxLength);
            }
        }

        public static Settings of(Path model) {
            return new Settings(model, "preference", 32, 256);
        }

        public static Settings fromConfig(Config c) {
            ConfigKeys.requireOnly(c, Set.of("model", "objective", "batch-size", "max-length"), "learned-rm scorer");
            String model = ConfigKeys.string(c, "model", null);
            Settings d = of(model == null ? null : Path.of(model));
            return new Settings(d.model(), ConfigKeys.string(c, "objective", d.objective()),
                    (int) ConfigKeys.number(c, "batch-size", d.batchSize()),
                    (int) ConfigKeys.number(c, "max-length", d.maxLength()));
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
        public RewardScorer create(Config config) {
            try {
                return new LearnedRmScorer(Settings.fromConfig(config));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load reward model: " + e.getMessage(), e);
            }
        }
    }
}
