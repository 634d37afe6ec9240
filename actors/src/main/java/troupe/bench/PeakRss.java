package troupe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * This process's peak resident set (Linux {@code VmHWM} of /proc/self/status): the figure
 * {@code /usr/bin/time -f %M} reports for a whole process, so the JVM's heap, libtorch's native
 * arrays and the allocator's retained arenas all count. {@link #residentMegabytes} reads the
 * current resident set ({@code VmRSS}) of the same file, what {@code bench soak} samples.
 */
public final class PeakRss {

    private static final Path STATUS = Path.of("/proc/self/status");

    private PeakRss() {
    }

    /** Peak RSS in MiB, or empty where /proc is absent (macOS) or unreadable. */
    public static OptionalLong megabytes() {
        return read("VmHWM:");
    }

    /** Current RSS in MiB, or empty where /proc is absent or unreadable. */
    public static OptionalLong residentMegabytes() {
        return read("VmRSS:");
    }

    private static OptionalLong read(String field) {
        try {
            return parse(Files.readAllLines(STATUS), field);
        } catch (IOException | UnsupportedOperationException e) {
            return OptionalLong.empty();
        }
    }

    /** The {@code VmHWM:  123456 kB} line of a status file, in MiB. */
    static OptionalLong parse(Iterable<String> statusLines) {
        return parse(statusLines, "VmHWM:");
    }

    /** The {@code <field>  123456 kB} line of a status file, in MiB. */
    static OptionalLong parse(Iterable<String> statusLines, String field) {
        for (String line : statusLines) {
            if (line.startsWith(field)) {
                String kb = line.substring(field.length()).replace("kB", "").trim();
                return OptionalLong.of(Long.parseLong(kb) / 1024);
            }
        }
        return OptionalLong.empty();
    }
}
