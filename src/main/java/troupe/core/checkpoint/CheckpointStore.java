package troupe.core.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of run checkpoints, one sub-folder per step ({@code step-000000120}).
 *
 * <p>Atomicity: a checkpoint is written into {@code step-N.tmp}; its {@link Manifest} (size and
 * CRC32C of every file) is written last, atomically; every file is fsynced, then the folder is
 * renamed to {@code step-N} and the parent folder fsynced. A crash mid-save leaves a {@code .tmp}
 * folder that readers ignore and the next save deletes, and the previous checkpoint stays
 * loadable. Readers pick the newest checkpoint whose manifest matches its files
 * ({@link #newestComplete}), so a checkpoint truncated or corrupted later (a full disk, bit rot, a
 * copy cut short) is named and skipped, never loaded half.
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
        Path old = root.resolve(name + ".old");
        AtomicFolder.deleteTree(tmp);
        Files.createDirectories(tmp);
        CrashPoints.reach("checkpoint folder created");
        writer.writeInto(tmp);
        CrashPoints.reach("checkpoint files written");
        Manifest.write(tmp);
        CrashPoints.reach("checkpoint manifest written");
        AtomicFolder.fsyncTree(tmp);
        CrashPoints.reach("checkpoint fsynced");
        // Re-saving the same step (a checkpoint on stop right after a periodic one): the old folder
        // leaves its name in one rename, so a crash here leaves the older checkpoints as the newest.
        AtomicFolder.deleteTree(old);
        if (Files.exists(dest)) {
            move(dest, old);
        }
        move(tmp, dest);
        CrashPoints.reach("checkpoint renamed");
        AtomicFolder.fsync(root, true);
        CrashPoints.reach("checkpoint directory fsynced");
        AtomicFolder.deleteTree(old);
        prune();
        return dest;
    }

    /** The newest checkpoint whose files match its manifest, if any; incomplete ones are skipped silently. */
    public Optional<Path> latest() {
        return newestComplete(root, skipped -> { });
    }

    /**
     * The newest checkpoint under {@code root} whose files match its manifest; each newer one that
     * does not is passed to {@code skipped} as one line naming the folder and what is wrong.
     */
    public static Optional<Path> newestComplete(Path root, Consumer<String> skipped) {
        List<Path> named = new ArrayList<>(named(root));
        for (int i = named.size() - 1; i >= 0; i--) {
            Path folder = named.get(i);
            try {
                Optional<String> problem = Manifest.problem(folder);
                if (problem.isEmpty()) {
                    return Optional.of(folder);
                }
                skipped.accept("skipping incomplete checkpoint " + folder + ": " + problem.get());
            } catch (IOException e) {
                skipped.accept("skipping unreadable checkpoint " + folder + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * The checkpoint a {@code --resume DIR} names: {@code DIR} itself when it is a checkpoint
     * folder (its files must match its manifest), else the newest complete checkpoint under
     * {@code DIR/checkpoints} (a run folder) or {@code DIR}; each newer incomplete one is reported
     * to {@code skipped} in one line.
     *
     * @throws IllegalArgumentException naming the folder when it holds no complete checkpoint
     */
    public static Path resolveResume(Path dir, Consumer<String> skipped) {
        if (NAME.matcher(dir.getFileName() == null ? "" : dir.getFileName().toString()).matches()
                || Files.isRegularFile(dir.resolve(Manifest.FILE))) {
            try {
                Manifest.verify(dir);
            } catch (IOException e) {
                throw new IllegalArgumentException("checkpoint " + e.getMessage() + "; resume from its run folder"
                        + " to take the newest complete one");
            }
            return dir;
        }
        Path root = Files.isDirectory(dir.resolve("checkpoints")) ? dir.resolve("checkpoints") : dir;
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("no such folder " + dir);
        }
        return newestComplete(root, skipped)
                .orElseThrow(() -> new IllegalArgumentException("no complete checkpoint in " + root));
    }

    /** Step number of a checkpoint folder made by this store. */
    public static long stepOf(Path folder) {
        Matcher m = NAME.matcher(folder.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(folder + " is not a checkpoint folder (step-NNNNNNNNN)");
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Checkpoint folders by name (a finished save's), oldest first; their files are not read, see
     * {@link #newestComplete} for that.
     */
    public List<Path> complete() {
        return named(root);
    }

    private static List<Path> named(Path root) {
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
            AtomicFolder.deleteTree(all.remove(0));
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("step-\\d{9}\\.(tmp|old)")).toList()) {
                AtomicFolder.deleteTree(p);
            }
        }
    }

    private void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system of " + root + " cannot rename atomically", e);
        }
    }
}
