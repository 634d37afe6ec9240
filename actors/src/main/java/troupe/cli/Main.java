package troupe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code troupe} command line. {@link #run(String...)} returns the exit status, so tests call it directly. */
@Command(
        name = "troupe",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Actor-based online alignment (RLHF) for the JVM.",
        subcommands = {RunCommand.class, NodeCommand.class, ControlCommand.class, WatchCommand.class,
            RewardServerCommand.class, SftCommand.class, MakeBaseCommand.class, GenerateCommand.class, EvalCommand.class,
            TrainRmCommand.class, BenchCommand.class, ConfigCommand.class, VersionCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit status for bad input: a config error, a bad argument, a bad data line. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** True when stderr is a terminal: progress lines are then rewritten in place with {@code \r}. */
    boolean stderrIsTerminal;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true),
                ProgressLine.stderrIsTerminal(), args);
    }

    /** Runs the CLI with the given streams (never a terminal); returns the exit status. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return run(out, err, false, args);
    }

    static int run(java.io.PrintWriter out, java.io.PrintWriter err, boolean terminal, String... args) {
        Main main = new Main();
        main.stderrIsTerminal = terminal;
        return new CommandLine(main)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((ex, a) -> {
                    ex.getCommandLine().getErr().println(ex.getMessage());
                    ex.getCommandLine().usage(ex.getCommandLine().getErr());
                    return EXIT_USAGE;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
