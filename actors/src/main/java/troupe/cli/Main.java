package troupe.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code troupe} command line. {@link #run(String...)} returns the exit status, so tests call it directly. */
@Command(
        name = "troupe",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Actor-based online alignment (RLHF) for the JVM.",
        subcommands = {RunCommand.class, NodeCommand.class, ControlCommand.class, WatchCommand.class,
            RewardServerCommand.class, SftCommand.class, MakeBaseCommand.class, GenerateCommand.class, EvalCommand.class,
            TrainRmCommand.class, ScoreCommand.class, BenchCommand.class, ConfigCommand.class, VersionCommand.class,
            HelpCommand.class})
public final class Main implements Runnable {

    /** Exit status for bad input: a config error, a bad argument, a bad data line. */
    public static final int EXIT_USAGE = 2;
    /** Exit status for a failure that is not the user's input (a bug, a full disk, a crashed engine). */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On an error, also print the Java stack trace.")
    boolean verbose;

    /** True when stderr is a terminal: progress lines are then rewritten in place with {@code \r}. */
    boolean stderrIsTerminal;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                ProgressLine.stderrIsTerminal(), args);
    }

    /** Runs the CLI with the given streams (never a terminal); returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, false, args);
    }

    static int run(PrintWriter out, PrintWriter err, boolean terminal, String... args) {
        Main main = new Main();
        main.stderrIsTerminal = terminal;
        CommandLine cli = new CommandLine(main).setOut(out).setErr(err);
        addHelpOptions(cli);
        return cli
                .setParameterExceptionHandler((ex, a) -> {
                    // One line naming the option; the full usage would bury it (--help prints that).
                    CommandLine at = ex.getCommandLine();
                    // picocli checks required options before it reports unknown ones; the unknown
                    // option is the likelier mistake ("--modle"), so it is the one named.
                    String problem = ex instanceof CommandLine.UnmatchedArgumentException
                            || at.getUnmatchedArguments().isEmpty() ? ex.getMessage()
                            : new CommandLine.UnmatchedArgumentException(at, at.getUnmatchedArguments()).getMessage();
                    at.getErr().println("error: " + UserErrors.oneLine(problem) + " (see '"
                            + at.getCommandSpec().qualifiedName() + " --help')");
                    return EXIT_USAGE;
                })
                .setExecutionExceptionHandler((ex, at, parsed) -> {
                    String message = UserErrors.message(ex);
                    if (main.verbose) {
                        ex.printStackTrace(at.getErr());
                    }
                    if (message != null) {
                        at.getErr().println("error: " + message);
                        return EXIT_USAGE;
                    }
                    at.getErr().println("error: " + UserErrors.oneLine(ex.toString())
                            + (main.verbose ? "" : " (--verbose prints the stack trace)"));
                    return EXIT_FAILURE;
                })
                .execute(args);
    }

    /**
     * {@code -h}/{@code --help} on every subcommand, nested ones included, added here rather than
     * on each annotation so a subcommand added later cannot forget it. ({@code mixinStandardHelpOptions}
     * would also add {@code --version}, which only the root answers.)
     */
    private static void addHelpOptions(CommandLine cli) {
        CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
        if (spec.optionsMap().get("--help") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        cli.getSubcommands().values().forEach(Main::addHelpOptions);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
