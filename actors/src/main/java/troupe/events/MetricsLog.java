package troupe.events;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import troupe.proto.v1.LearnerEvent;

/**
 * The run's metrics log: one {@link LearnerEvent} per line as protobuf JSON (field names in
 * lowerCamelCase, as {@code JsonFormat} prints them). Readable with {@code jq} and by
 * {@code JsonFormat.parser()}.
 *
 * <p>Appended synchronously on the learner's publish path rather than read from the event hub:
 * hub subscribers may miss events when they fall behind, the log must not. One line per step
 * costs one small write and flush, nothing next to a training step.
 */
public final class MetricsLog implements Consumer<LearnerEvent>, AutoCloseable {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final Path file;
    private final BufferedWriter out;
    private boolean closed;

    private MetricsLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Creates (or truncates) {@code file}. */
    public static MetricsLog open(Path file) throws IOException {
        return new MetricsLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /**
     * Continues {@code file} (creating it if missing): a run resumed into its own folder keeps
     * the events of the learner it replaces; steps that learner trained after its checkpoint
     * appear again, as trained anew.
     */
    public static MetricsLog append(Path file) throws IOException {
        return new MetricsLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND));
    }

    /**
     * Appends one line and flushes it, so a reader (or a crash) sees every finished step.
     *
     * After {@link #close} (a run stopped without waiting for its step) an event is dropped.
     *
     * @throws UncheckedIOException when the line cannot be written: the learner fails rather than
     *     train on without a record, as it does when a checkpoint cannot be written
     */
    @Override
    public synchronized void accept(LearnerEvent event) {
        if (closed) {
            return;
        }
        try {
            out.write(line(event));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append step " + event.getStep() + " to " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        out.close();
    }

    /** One event as a JSON line, newline included. */
    public static String line(LearnerEvent event) {
        try {
            return PRINTER.print(event) + "\n";
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print; LearnerEvent has none.
            throw new IllegalStateException("cannot print learner event " + event.getStep(), e);
        }
    }
}
