package troupe.core.model.hf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;

/**
 * Crash-safe file replacement: write a temp file in the target's directory, fsync it, rename it
 * over the target atomically, fsync the directory. A failure at any point before the rename
 * leaves the previous file untouched (and the temp file removed when the JVM survives).
 */
public final class AtomicFiles {

    /** Write buffer size; large sequential writes, few syscalls. */
    private static final int BUFFER = 1 << 16;

    private AtomicFiles() {
    }

    /** Body of a write. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Atomically replaces {@code target} with what {@code writer} produces. */
    public static void write(Path target, Writer writer) throws IOException {
        write(target, writer, UnaryOperator.identity());
    }

    /**
     * As {@link #write(Path, Writer)}, with the stream decorated by {@code decorate} (tests use it
     * to inject a failure halfway through a write).
     */
    public static void write(Path target, Writer writer, UnaryOperator<OutputStream> decorate) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = decorate.apply(new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER));
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            fsyncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Makes the rename durable; Linux allows fsync on a directory opened read-only. */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException unsupported) {
            // Some platforms (Windows) cannot open directories; the rename itself is still atomic.
        }
    }
}
