package troupe.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import troupe.core.config.ConfigReader;

/**
 * The {@code troupe.run} block: what a run trains and where it writes.
 *
 * @param task built-in task the prompts come from
 * @param steps optimisation steps of the run
 * @param seed seed of every random stream of the run
 * @param outputDir parent folder of the run's metrics, checkpoints and final model
 */
public record RunSettings(String task, int steps, long seed, Path outputDir) {

    public static RunSettings fromConfig(Config config) {
        ConfigReader r = ConfigReader.at(config, "troupe.run");
        return new RunSettings(
                r.string("task"),
                r.intIn("steps", 1, 10_000_000),
                r.longIn("seed", 0, Long.MAX_VALUE),
                Path.of(r.string("output-dir")));
    }
}
