package troupe.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;
import troupe.core.config.ConfigReader;

/**
 * The {@code troupe.checkpoint} block.
 *
 * @param everyNSteps write a checkpoint after every N-th step; 0 = only at the end of the run
 * @param dir folder of checkpoints; empty = {@code <run folder>/checkpoints}
 * @param onShutdown write a checkpoint when the run stops, unless the last step already has one
 */
public record CheckpointSettings(int everyNSteps, Optional<Path> dir, boolean onShutdown) {

    public static CheckpointSettings fromConfig(Config config) {
        ConfigReader r = ConfigReader.at(config, "troupe.checkpoint");
        String dir = r.string("dir").trim();
        return new CheckpointSettings(
                r.intIn("every-n-steps", 0, 10_000_000),
                dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir)),
                r.bool("on-shutdown"));
    }

    /** The checkpoint folder of a run whose outputs go to {@code runFolder}. */
    public Path dirFor(Path runFolder) {
        return dir.orElse(runFolder.resolve("checkpoints"));
    }
}
