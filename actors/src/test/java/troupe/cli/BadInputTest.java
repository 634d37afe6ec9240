package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input table of RELIABILITY.md, run in-process: each row is a command given one broken
 * input. Every row must exit with its status (2 for bad input, 1 for a server that cannot be
 * reached) with one line on stderr that names the file (and key, tensor or line), no stack trace
 * and no Java exception class, and must leave the folder exactly as it found it. The rows and
 * the messages they produced are written to {@code target/bad-input-table.md}.
 */
class BadInputTest {

    @TempDir
    static Path root;
    private static Path good;
    private static final List<String> TABLE = new ArrayList<>();
    private static int rows;

    @BeforeAll
    static void tinyModel() throws IOException {
        good = TinyModels.save(root.resolve("good"), 7);
    }

    @AfterAll
    static void writeTable() throws IOException {
        Path out = Path.of("target", "bad-input-table.md");
        Files.createDirectories(out.getParent());
        Files.write(out, TABLE);
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputEndsInOneLineNamingIt() {
        return Stream.concat(BadInputRows.all().stream(), ModelArgumentRows.all().stream())
                .map(row -> DynamicTest.dynamicTest(row.command() + " / " + row.input(), () -> check(row)));
    }

    private static void check(BadInputRows.Row row) throws IOException {
        Path work = root.resolve("row" + rows++);
        Files.createDirectories(work);
        BadInputRows.Inputs inputs = new BadInputRows.Inputs(work, good, closedPort());
        String[] args = row.prepare().apply(inputs);
        List<String> before = listing(work);
        CliRunner r = CliRunner.run(args);
        String err = r.err().strip();
        String shown = err.replace(work.toString(), "DIR").replace(inputs.target(), "127.0.0.1:PORT");
        List<String> left = listing(work);
        left.removeAll(before);
        TABLE.add("| `" + row.command() + "` | " + row.input() + " | " + cell(shown) + " | "
                + r.status() + " | " + (left.isEmpty() ? "none" : String.join(", ", left)) + " |");
        assertEquals(row.exit(), r.status(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("error: "), err);
        for (String fragment : row.names()) {
            assertTrue(shown.contains(fragment), "expected '" + fragment + "' in: " + shown);
        }
        assertFalse(err.contains("\tat ") || err.matches(".*\\b(java|javax|com|io)\\.[\\w.]+(Exception|Error)\\b.*"),
                "a Java exception leaked: " + err);
        assertEquals(List.of(), left, "files left behind");
    }

    /** The message as one table cell: a stack trace is summarised by its first line and its length. */
    private static String cell(String err) {
        List<String> lines = err.lines().toList();
        String first = lines.isEmpty() ? "" : lines.get(0).replace("|", "\\|");
        long frames = lines.stream().filter(l -> l.startsWith("\tat ")).count();
        return "`" + first + "`" + (lines.size() <= 1 ? "" : " + " + (lines.size() - 1) + " more lines"
                + (frames > 0 ? " (stack trace, " + frames + " frames)" : ""));
    }

    /** Every file and folder under {@code dir}, relative, with sizes, so a half-written output shows. */
    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return new ArrayList<>(s.filter(p -> !p.equals(dir)).map(p -> {
                try {
                    return dir.relativize(p) + (Files.isDirectory(p) ? "/" : " (" + Files.size(p) + " B)");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList());
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
