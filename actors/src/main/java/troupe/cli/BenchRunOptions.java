package troupe.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import troupe.config.TroupeConfig;
import troupe.config.TroupeSettings;

/** The config and policy a benchmark of embedded runs uses (a picocli mixin of {@code bench pipeline|weighting}). */
final class BenchRunOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON over the defaults")
    Path config;

    @Option(names = "--model", paramLabel = "DIR", description = "policy folder (default: the task's base policy)")
    Path model;

    /** The user file over reference.conf, with {@code troupe.run.steps = steps}. */
    Config merged(int steps) {
        Config user = config == null ? ConfigFactory.empty() : TroupeConfig.parseUserFile(config);
        return ConfigFactory.parseString("troupe.run.steps = " + steps).withFallback(user)
                .withFallback(TroupeConfig.reference()).resolve();
    }

    /** {@code --model}, else the task's base policy under TROUPE_HOME (the repository root ./troupe exports). */
    Path modelDir(TroupeSettings s) {
        return model != null ? model : s.run().modelDir(Path.of(System.getenv().getOrDefault("TROUPE_HOME", ".")));
    }
}
