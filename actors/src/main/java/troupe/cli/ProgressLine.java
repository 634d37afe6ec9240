package troupe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A live progress line on stderr. On a terminal each update rewrites the line in place
 * ({@code \r}, padded to erase a longer previous line); otherwise (a file, a pipe, a test) each
 * update is one plain line, so logs stay readable.
 */
final class ProgressLine {

    private final PrintWriter err;
    private final boolean terminal;
    private int lastLength;

    ProgressLine(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    void update(String text) {
        if (terminal) {
            err.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
            err.flush();
            lastLength = text.length();
        } else {
            err.println(text);
        }
    }

    /** Ends an in-place line so the next output starts on a fresh line. */
    void finish() {
        if (terminal && lastLength > 0) {
            err.println();
            lastLength = 0;
        }
    }

    /** "1m05s" / "42s" for a duration in seconds. */
    static String duration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }

    /**
     * Whether this process's stderr is a terminal. Java 17 has no isatty for stderr, so on Linux
     * read the target of /proc/self/fd/2; elsewhere fall back to {@code System.console()}
     * (which tests stdin/stdout instead).
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
