package troupe.cli;

import picocli.CommandLine.Option;
import troupe.core.model.train.OptimizerSettings;

/**
 * Optimizer-loop flags shared by the training commands. Null means "the command's default", so
 * a command can take its defaults from a recipe (e.g. {@code make-base}) and still be overridden.
 */
final class TrainingOptions {

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps.")
    Integer steps;

    @Option(names = "--batch", paramLabel = "B", description = "Sequences per optimizer step.")
    Integer batch;

    @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate (AdamW, linear warmup, cosine to 0.1·X).")
    Double lr;

    @Option(names = "--warmup", paramLabel = "W", description = "Warmup steps.")
    Integer warmup;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of initialisation, shuffling and splits.")
    Long seed;

    @Option(names = "--log-every", paramLabel = "K", defaultValue = "10",
            description = "Steps between progress updates (default: ${DEFAULT-VALUE}).")
    int logEvery;

    int steps(int fallback) {
        return steps != null ? steps : fallback;
    }

    int batch(int fallback) {
        return batch != null ? batch : fallback;
    }

    long seed(long fallback) {
        return seed != null ? seed : fallback;
    }

    /** AdamW defaults with this peak LR and warmup; total steps 0 = the run's own step count. */
    OptimizerSettings optimizer(double fallbackLr, int fallbackWarmup) {
        return OptimizerSettings.defaults().withSchedule(lr != null ? lr : fallbackLr,
                warmup != null ? warmup : fallbackWarmup, 0);
    }
}
