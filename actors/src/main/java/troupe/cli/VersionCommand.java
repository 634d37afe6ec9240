package troupe.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code troupe version}: Troupe's version and the engine versions it was built against. */
@Command(name = "version", description = "Print Troupe's version and its engine versions.")
final class VersionCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        for (String line : lines()) {
            spec.commandLine().getOut().println(line);
        }
    }

    static String[] lines() {
        Properties p = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/troupe-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read troupe-version.properties", e);
        }
        return new String[] {
            "troupe " + p.getProperty("troupe", "unknown"),
            "java " + System.getProperty("java.version") + ", djl " + p.getProperty("djl", "?")
                    + " (pytorch " + p.getProperty("pytorch", "?") + "), pekko " + p.getProperty("pekko", "?")
                    + ", grpc " + p.getProperty("grpc", "?")
        };
    }

    /** Lets {@code troupe --version} print the same lines. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
