package troupe.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe help [COMMAND...]}: the usage of a (nested) command, like {@code COMMAND --help}.
 * picocli's own HelpCommand is a "help command" whose parse errors are waived, so
 * {@code troupe help --bogus} printed the root usage with exit 0; this one rejects it with exit 2.
 */
@Command(name = "help", description = "Print the usage of a command, e.g. 'troupe help config check'.")
final class HelpCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command (and subcommand) to describe.")
    List<String> path = List.of();

    @Override
    public void run() {
        CommandLine target = spec.commandLine().getParent();
        for (String name : path) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Unknown command '" + name + "'; "
                        + target.getCommandName() + " has: " + String.join(", ", target.getSubcommands().keySet()));
            }
            target = next;
        }
        target.usage(spec.commandLine().getOut());
    }
}
