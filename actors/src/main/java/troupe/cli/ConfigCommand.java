package troupe.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import troupe.config.ConfigCheck;
import troupe.config.TroupeConfig;
import troupe.config.TroupeSettings;

/** {@code troupe config check FILE}: validate a config file against the documented defaults. */
@Command(name = "config", description = "Work with Troupe configuration files.",
        subcommands = {ConfigCommand.Check.class})
final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", description = {
        "Validate FILE against reference.conf: unknown keys (with the nearest valid key),",
        "wrong types and out-of-range values. Exit status 0 when valid, 2 otherwise."})
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "HOCON file to validate")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Config user;
            try {
                user = TroupeConfig.parseUserFile(file);
            } catch (IllegalArgumentException | ConfigException e) {
                err.println("error: " + e.getMessage());
                return Main.EXIT_USAGE;
            }
            List<ConfigCheck.Problem> problems =
                    ConfigCheck.check(user, TroupeConfig.reference(), TroupeSettings::fromConfig);
            if (problems.isEmpty()) {
                out.println(file + ": OK");
                return 0;
            }
            for (ConfigCheck.Problem p : problems) {
                err.println(file + ": error: " + p.message());
            }
            return Main.EXIT_USAGE;
        }
    }
}
