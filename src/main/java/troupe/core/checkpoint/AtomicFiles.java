package troupe.core.checkpoint;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
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
        String name = target.getFileName().toString();
        boolean done = false;
        try {
            CrashPoints.reach(name + ": temp file created");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream file = Channels.newOutputStream(ch);
                if (CrashPoints.enabled()) {
                    file = new CrashPointStream(file, name);
                }
                OutputStream out = decorate.apply(new BufferedOutputStream(file, BUFFER));
                writer.write(out);
                out.flush();
                CrashPoints.reach(name + ": written");
                ch.force(true);
            }
            CrashPoints.reach(name + ": fsynced");
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            CrashPoints.reach(name + ": renamed");
            fsyncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Crash tests only: writes in slices of {@value #SLICE} bytes, each a crash point, so a kill
     * can land partway through a large tensor.
     */
    private static final class CrashPointStream extends FilterOutputStream {
        private static final int SLICE = 1 << 14;
        private final String name;
        private long written;

        CrashPointStream(OutputStream out, String name) {
            super(out);
            this.name = name;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = 0; i < len; i += SLICE) {
                int n = Math.min(SLICE, len - i);
                out.write(b, off + i, n);
                written += n;
                out.flush();
                CrashPoints.reach(name + ": " + written + " bytes");
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
