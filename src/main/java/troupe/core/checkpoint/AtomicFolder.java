package troupe.core.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Replaces a set of files in a folder as one unit, for model exports ({@code final/}, an SFT
 * output) whose folder may hold other files that must survive: the files are written into
 * {@value #STAGING} inside the folder, with a {@link Manifest} written last; then the folder's old
 * manifest is removed, each file renamed into place, and the new manifest renamed in last.
 *
 * <p>After a crash, {@link #recover} (run by the next write and before a load) rolls a staged set
 * whose manifest exists forward, and deletes one whose manifest does not, so the folder ends up
 * either with its previous files or with all the new ones, each set matching its manifest.
 */
public final class AtomicFolder {
    static final String STAGING = ".troupe-staging";

    private AtomicFolder() {}

    /** Writes what {@code writer} puts into a staging folder, then moves it into {@code dir} as one unit. */
    public static void write(Path dir, CheckpointStore.Writer writer) throws IOException {
        Files.createDirectories(dir);
        recover(dir);
        Path staging = dir.resolve(STAGING);
        Files.createDirectories(staging);
        CrashPoints.reach("export staging created");
        writer.writeInto(staging);
        CrashPoints.reach("export files staged");
        Manifest.write(staging);
        fsyncTree(staging);
        fsync(dir, true);
        CrashPoints.reach("export staged");
        commit(dir, staging);
    }

    /**
     * Finishes or discards a write a crash interrupted (see the class comment). The folder's own
     * manifest is not checked here: a user may rewrite an exported folder with other tools
     * ({@code save_pretrained}), which leaves it stale; {@link Manifest#verify} checks on request.
     */
    public static void recover(Path dir) throws IOException {
        Path staging = dir.resolve(STAGING);
        if (!Files.isDirectory(staging)) {
            return;
        }
        if (Files.isRegularFile(staging.resolve(Manifest.FILE))) {
            commit(dir, staging);
        } else {
            deleteTree(staging);
            fsync(dir, true);
        }
    }

    /** Moves the staged files (those still there: a rolled-forward commit finds some moved already) into place. */
    private static void commit(Path dir, Path staging) throws IOException {
        Map<String, Manifest.Entry> entries = Manifest.read(staging);
        // From here until the new manifest lands the folder is visibly incomplete.
        Files.deleteIfExists(dir.resolve(Manifest.FILE));
        fsync(dir, true);
        CrashPoints.reach("export old manifest removed");
        for (String name : entries.keySet()) {
            Path from = staging.resolve(name);
            if (Files.isRegularFile(from)) {
                Path to = dir.resolve(name);
                Files.createDirectories(to.getParent());
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                CrashPoints.reach("export moved " + name);
            }
        }
        fsync(dir, true);
        Files.move(staging.resolve(Manifest.FILE), dir.resolve(Manifest.FILE), StandardCopyOption.ATOMIC_MOVE);
        fsync(dir, true);
        CrashPoints.reach("export manifest committed");
        deleteTree(staging);
    }

    static void fsyncTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                fsync(p, Files.isDirectory(p));
            }
        }
    }

    /** Linux allows fsync on a directory opened read-only; it makes renames and creations in it durable. */
    static void fsync(Path p, boolean directory) throws IOException {
        try (FileChannel ch = directory ? FileChannel.open(p, StandardOpenOption.READ)
                : FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    static void deleteTree(Path p) throws IOException {
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
