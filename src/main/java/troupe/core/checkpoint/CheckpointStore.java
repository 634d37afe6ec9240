package troupe.core.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of run checkpoints, one sub-folder per step ({@code step-000000120}).
 *
 * <p>Atomicity: a checkpoint is written into {@code step-N.tmp}, every file is fsynced, then the
 * folder is renamed to {@code step-N} and the parent folder fsynced. A folder with the final name
 * therefore only exists complete; a crash mid-save leaves a {@code .tmp} folder that readers
 * ignore and the next save deletes, and the previous checkpoint stays loadable.
 */
public final class CheckpointStore {
    private static final Pattern NAME = Pattern.compile("step-(\\d{9})");

    private final Path root;
    private final int keepLast;

    /**
     * @param root folder holding the checkpoints (created when missing)
     * @param keepLast complete checkpoints kept; older ones are deleted after a successful save (≥ 1)
     */
    public CheckpointStore(Path root, int keepLast) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
        }
        this.root = root;
        this.keepLast = keepLast;
    }

    /** Writes the files of one checkpoint into a folder the caller fills. */
    @FunctionalInterface
    public interface Writer {
        void writeInto(Path folder) throws IOException;
    }

    /**
     * Saves the checkpoint of {@code step}; returns its folder. If {@code writer} throws, nothing
     * visible changes and the exception propagates.
     */
    public Path save(long step, Writer writer) throws IOException {
        Files.createDirectories(root);
        String name = String.format("step-%09d", step);
        Path tmp = root.resolve(name + ".tmp");
        Path dest = root.resolve(name);
        deleteTree(tmp);
        Files.createDirectories(tmp);
        writer.writeInto(tmp);
        fsyncTree(tmp);
        deleteTree(dest); // re-saving the same step (e.g. checkpoint on stop right after a periodic one)
        try {
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system of " + root + " cannot rename atomically", e);
        }
        fsync(root, true);
        prune();
        return dest;
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Path> latest() {
        return complete().stream().reduce((a, b) -> b);
    }

    /** Step number of a checkpoint folder made by this store. */
    public static long stepOf(Path folder) {
        Matcher m = NAME.matcher(folder.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(folder + " is not a checkpoint folder (step-NNNNNNNNN)");
        }
        return Long.parseLong(m.group(1));
    }

    /** Complete checkpoints, oldest first. */
    public List<Path> complete() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isDirectory(p) && NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(CheckpointStore::stepOf))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void prune() throws IOException {
        List<Path> all = new ArrayList<>(complete());
        while (all.size() > keepLast) {
            deleteTree(all.remove(0));
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                deleteTree(p);
            }
        }
    }

    private static void fsyncTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                fsync(p, Files.isDirectory(p));
            }
        }
    }

    private static void fsync(Path p, boolean directory) throws IOException {
        try (FileChannel ch = directory ? FileChannel.open(p, StandardOpenOption.READ)
                : FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
