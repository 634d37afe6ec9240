package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The conventions every subcommand keeps, checked on whatever {@code troupe --help} lists
 * (recursively through nested subcommands), so a subcommand added later is covered too:
 * {@code --help} and {@code -h} print usage with exit 0; an unknown option exits 2 with one line
 * naming it and no stack trace.
 */
class CliConventionsTest {

    private static final Pattern COMMAND_LINE = Pattern.compile("^  ([a-z][\\w-]*)(?:, [\\w-]+)*\\s");

    @TestFactory
    Stream<DynamicTest> everySubcommandAnswersHelpAndRejectsUnknownOptions() {
        List<List<String>> commands = walk(List.of());
        assertTrue(commands.size() >= 17, "subcommands found: " + commands);
        return commands.stream().map(path -> DynamicTest.dynamicTest(String.join(" ", path), () -> {
            for (String flag : new String[] {"--help", "-h"}) {
                CliRunner r = run(path, flag);
                assertEquals(0, r.status(), path + " " + flag + ":\n" + r.err());
                assertTrue(r.out().contains("Usage: troupe " + String.join(" ", path) + " ["), r.out());
                assertEquals("", r.err());
            }
            CliRunner bad = run(path, "--no-such-option");
            assertEquals(2, bad.status(), path + ": " + bad.err());
            assertEquals(1, bad.err().lines().count(), bad.err());
            assertTrue(bad.err().contains("'--no-such-option'"), bad.err());
            assertFalse(bad.err().contains("\tat "), bad.err());
        }));
    }

    @Test
    void badValueNamesTheOptionOnOneLine() {
        CliRunner r = CliRunner.run("generate", "--model", "m", "--prompt", "x", "--temperature", "warm");
        assertEquals(2, r.status());
        assertEquals("error: Invalid value for option '--temperature': 'warm' is not a double"
                + " (see 'troupe generate --help')", r.err().strip());
    }

    @Test
    void verboseAddsTheStackTraceToAUserError() {
        CliRunner quiet = CliRunner.run("generate", "--model", ".", "--prompt", "x");
        CliRunner loud = CliRunner.run("--verbose", "generate", "--model", ".", "--prompt", "x");
        assertEquals(2, quiet.status());
        assertEquals(2, loud.status());
        assertEquals(1, quiet.err().lines().count(), quiet.err());
        assertTrue(loud.err().contains("\tat troupe."), loud.err());
        assertTrue(loud.err().strip().endsWith(quiet.err().strip()), loud.err());
    }

    /** Every command path below {@code prefix}, from the "Commands:" section of its usage. */
    private static List<List<String>> walk(List<String> prefix) {
        CliRunner r = run(prefix, "--help");
        List<List<String>> found = new ArrayList<>();
        boolean inCommands = false;
        for (String line : r.out().lines().toList()) {
            if (line.equals("Commands:")) {
                inCommands = true;
                continue;
            }
            Matcher m = COMMAND_LINE.matcher(line);
            if (inCommands && m.find()) {
                List<String> path = new ArrayList<>(prefix);
                path.add(m.group(1));
                found.add(path);
                found.addAll(walk(path));
            } else if (inCommands && !line.startsWith("   ")) {
                inCommands = false;
            }
        }
        return found;
    }

    private static CliRunner run(List<String> path, String last) {
        List<String> args = new ArrayList<>(path);
        args.add(last);
        return CliRunner.run(args.toArray(String[]::new));
    }
}
