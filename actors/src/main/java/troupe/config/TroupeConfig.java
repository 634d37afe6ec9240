package troupe.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads Troupe's configuration: a user file (optional) over the documented defaults. */
public final class TroupeConfig {
    /** Every Troupe key lives under this block. */
    public static final String ROOT = "troupe";

    private TroupeConfig() {}

    /** The user's file as written, not merged and not resolved; a missing file is an error. */
    public static Config parseUserFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file not found: " + file);
        }
        return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /** The defaults: every reference.conf on the classpath (Troupe's and Pekko's). */
    public static Config reference() {
        return ConfigFactory.defaultReference();
    }

    /** User file (if any) over system properties over the reference, resolved. */
    public static Config load(Path fileOrNull) {
        Config user = fileOrNull == null ? ConfigFactory.empty() : parseUserFile(fileOrNull);
        return ConfigFactory.defaultOverrides().withFallback(user).withFallback(reference()).resolve();
    }
}
