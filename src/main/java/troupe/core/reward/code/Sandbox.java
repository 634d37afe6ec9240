package troupe.core.reward.code;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one program in a child process tree that cannot harm the host:
 * {@code unshare --net --pid --fork --kill-child --mount-proc} (an empty network namespace; a pid
 * namespace whose init is the interpreter, so killing it kills every process the program made,
 * including daemons that left the process group), then, when we are root, {@code setpriv} to a
 * uid of its own per parallel slot (root ignores RLIMIT_NPROC; a uid per slot keeps one slot's
 * fork bomb from using up another's process count) with no new privileges, then {@code prlimit}
 * (address space, CPU seconds, file size, processes, open files, no core dumps), in a fresh
 * temporary directory that is deleted afterwards (and private tmpfs scratch directories, see
 * {@link #SCRATCH}), with a clean environment, a wall-clock limit and at most
 * {@code max-output} bytes of output. Built by {@link SandboxProbe}.
 */
final class Sandbox {

    /** How the program's run ended. */
    enum Ending { EXITED, TIMEOUT, OUTPUT_LIMIT }

    /**
     * @param tally the harness's tally (stdout), at most max-output bytes
     * @param output the head of the program's own output, for diagnostics
     * @param exitCode the wrapper's exit status; meaningless unless EXITED
     */
    record Run(Ending ending, String tally, String output, int exitCode) {}

    private static final int OUTPUT_HEAD = 2048;
    /** Longest we wait for the pipes to close once the tree is killed. */
    private static final long DRAIN_GRACE_MS = 2_000;

    private final CodeExecutionSettings settings;
    private final List<String> unshare;
    private final String setpriv;
    private final String prlimit;
    private final ExecutorService io;
    private final String interpreterRealPath;

    /**
     * @param unshare the namespace prefix ({@code unshare ... --}), empty to run without namespaces
     * @param setpriv path of setpriv when we are root, else null
     * @param io threads that feed stdin and drain the pipes: three per running sample
     */
    Sandbox(CodeExecutionSettings settings, List<String> unshare, String setpriv, String prlimit,
            ExecutorService io) {
        this.settings = settings;
        this.unshare = List.copyOf(unshare);
        this.setpriv = setpriv;
        this.prlimit = prlimit;
        this.io = io;
        String real;
        try {
            real = settings.interpreter().toRealPath().toString();
        } catch (IOException e) {
            real = settings.interpreter().toString(); // checked by the probe; the run will say
        }
        this.interpreterRealPath = real;
    }

    boolean namespaces() {
        return !unshare.isEmpty();
    }

    /**
     * Run first in the namespaces (as their root): a private tmpfs of {@code file-size} over each
     * world-writable scratch directory, so nothing a program leaves there outlives its namespace
     * or is seen by the next program. A directory holding the interpreter (given or resolved
     * path, $1 and $2) is left as it is; the sample's directory is bound back in place when it
     * lay under a covered one ({@code --no-canonicalize}: "." is the old directory, not its
     * path resolved again under the new tmpfs).
     */
    private static final String SCRATCH = "w=$(pwd -P) || exit 97\n"
            + "for d in /tmp /var/tmp /dev/shm; do\n"
            + "  case \"$1\" in \"$d\"/*) continue ;; esac\n"
            + "  case \"$2\" in \"$d\"/*) continue ;; esac\n"
            + "  [ -d \"$d\" ] && mount -t tmpfs -o size=$0,mode=1777,nosuid,nodev tmpfs \"$d\" 2>/dev/null\n"
            + "done\n"
            + "shift 2\n"
            + "if [ ! -d \"$w\" ]; then mkdir -p \"$w\" && mount --no-canonicalize --bind . \"$w\" || exit 97; fi\n"
            + "cd \"$w\" || exit 97\n"
            + "exec \"$@\"\n";

    /** The command for slot {@code slot} with a CPU limit of {@code limitMillis} rounded up. */
    List<String> command(int slot, long limitMillis, String program) {
        List<String> cmd = new ArrayList<>(unshare);
        if (namespaces()) {
            cmd.addAll(List.of("/bin/sh", "-c", SCRATCH, String.valueOf(settings.fileSizeBytes()),
                    settings.interpreter().toString(), interpreterRealPath));
        }
        if (setpriv != null) {
            int id = settings.uidBase() + slot;
            cmd.addAll(List.of(setpriv, "--reuid=" + id, "--regid=" + id, "--clear-groups", "--no-new-privs", "--"));
        }
        long cpu = Math.max(1, (limitMillis + 999) / 1000);
        cmd.addAll(List.of(prlimit, "--as=" + settings.memoryBytes(), "--cpu=" + cpu + ":" + (cpu + 1),
                "--fsize=" + settings.fileSizeBytes(), "--nproc=" + settings.processes(), "--nofile=256",
                "--core=0", "--", settings.interpreter().toString(), "-I", "-c", program));
        return cmd;
    }

    /**
     * Runs {@code program} in slot {@code slot} with {@code stdin}, for at most {@code limitMillis}.
     *
     * @throws IOException when the process cannot be started or its directory made or removed
     * @throws InterruptedException when interrupted; the tree is killed and the directory removed first
     */
    Run run(int slot, String program, byte[] stdin, long limitMillis) throws IOException, InterruptedException {
        Path dir = newDirectory(slot);
        Process p = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(command(slot, limitMillis, program)).directory(dir.toFile());
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
            pb.environment().put("LANG", "C.UTF-8");
            pb.environment().put("HOME", dir.toString());
            long start = System.nanoTime();
            p = pb.start();
            Process proc = p;
            CompletableFuture<Void> stop = new CompletableFuture<>();
            AtomicBoolean overflow = new AtomicBoolean();
            io.submit(() -> feed(proc.getOutputStream(), stdin));
            Future<byte[]> tally = io.submit(() -> drain(proc.getInputStream(), stop, overflow, Integer.MAX_VALUE));
            Future<byte[]> output = io.submit(() -> drain(proc.getErrorStream(), stop, overflow, OUTPUT_HEAD));
            p.onExit().thenRun(() -> stop.complete(null));
            Ending ending = Ending.EXITED;
            try {
                stop.get(Math.max(0, limitMillis - (System.nanoTime() - start) / 1_000_000), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                ending = Ending.TIMEOUT;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            if (overflow.get()) {
                ending = Ending.OUTPUT_LIMIT;
            }
            killTree(p);
            int exit = p.waitFor();
            return new Run(ending, text(tally, p), text(output, p), exit);
        } finally {
            if (p != null && p.isAlive()) { // interrupted or failed on the way: never leave the tree behind
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            deleteTree(dir);
        }
    }

    private Path newDirectory(int slot) throws IOException {
        Path dir = Files.createTempDirectory(settings.workDir(), "troupe-code-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (setpriv != null) {
            Files.setAttribute(dir, "unix:uid", settings.uidBase() + slot);
            Files.setAttribute(dir, "unix:gid", settings.uidBase() + slot);
        }
        return dir;
    }

    private static Void feed(OutputStream in, byte[] bytes) {
        try (in) {
            in.write(bytes);
        } catch (IOException e) {
            // the program ended before reading its input: its tally and exit say why
        }
        return null;
    }

    /**
     * Reads a pipe to its end, keeping the first {@code keep} bytes; past max-output bytes it
     * flags the overflow and stops the run (the tree is then killed, which closes the pipe).
     */
    private byte[] drain(InputStream in, CompletableFuture<Void> stop, AtomicBoolean overflow, int keep)
            throws IOException {
        byte[] buf = new byte[8192];
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            kept.write(buf, 0, (int) Math.max(0, Math.min(n, keep - kept.size())));
            if (total > settings.maxOutputBytes()) {
                overflow.set(true);
                stop.complete(null);
                break;
            }
        }
        return kept.toByteArray();
    }

    private static String text(Future<byte[]> f, Process p) throws InterruptedException {
        try {
            return new String(f.get(DRAIN_GRACE_MS, TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
        } catch (TimeoutException e) {
            // a process outside any namespace still holds the pipe: stop reading it
            closeQuietly(p.getInputStream());
            closeQuietly(p.getErrorStream());
            f.cancel(true);
            return "";
        } catch (ExecutionException e) {
            return "";
        }
    }

    /**
     * Kills the child's tree. In a pid namespace the child's child is the namespace's init, and
     * its death kills every process in the namespace; {@code unshare} then reaps it and exits
     * (killing {@code unshare} first would leave the init a zombie for the host's pid 1). Without
     * a namespace, a process that re-parented itself away (double fork) escapes this snapshot
     * and lives until its own CPU limit.
     */
    static void killTree(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        if (!p.waitFor(DRAIN_GRACE_MS, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /**
     * Removes {@code dir}. A tree deeper than a path can name (PATH_MAX) defeats path-based
     * deletion, so then coreutils, which walks it by directory descriptors, finishes the job.
     *
     * @throws IOException only when even that leaves the directory behind
     */
    static void deleteTree(Path dir) throws IOException, InterruptedException {
        try {
            deleteByPath(dir);
        } catch (IOException e) {
            String d = dir.toString();
            Process p = new ProcessBuilder("/bin/sh", "-c", "chmod -R u+rwx -- \"$0\" 2>/dev/null; rm -rf -- \"$0\"", d)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("cannot remove the sandbox directory " + d + ": " + e.getMessage(), e);
            }
        }
    }

    /** Removes {@code dir}, first giving back permissions the program may have taken off. */
    private static void deleteByPath(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            try (var children = Files.list(dir)) {
                for (Path c : children.toList()) {
                    deleteByPath(c);
                }
            }
        }
        Files.delete(dir);
    }
}
