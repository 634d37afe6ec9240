package troupe.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM running {@code troupe.cli.Main} on the module's runtime classpath (written by
 * the dependency plugin before the integration-test phase). Output goes to a log file; the
 * process is killed on {@link #close()} so a failing test never leaves it running.
 */
public final class JvmProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private JvmProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static JvmProcess start(Path log, String... args) throws IOException {
        return startWith(log, List.of(), args);
    }

    /** As {@link #start}, with jars (a plugin) prepended to the classpath. */
    public static JvmProcess startWith(Path log, List<Path> extraClasspath, String... args) throws IOException {
        return startWith(log, extraClasspath, Map.of(), args);
    }

    /** As {@link #startWith(Path, List, String...)}, with environment variables added. */
    public static JvmProcess startWith(Path log, List<Path> extraClasspath, Map<String, String> env, String... args)
            throws IOException {
        Path cpFile = Path.of("target", "it-classpath.txt");
        String classpath = Files.readString(cpFile).trim();
        for (Path jar : extraClasspath) {
            classpath = jar + java.io.File.pathSeparator + classpath;
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Several of these JVMs share two cores: small heaps, one torch thread, no JIT tiers past C1.
                "-Xmx768m", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", classpath, "troupe.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().putAll(env);
        return new JvmProcess(pb.start(), log);
    }

    /** Waits for exit; kills the process and fails if it outlives {@code limit}. */
    public int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not exit within " + limit + "; log:\n" + output());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "<no log: " + e.getMessage() + ">";
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the node gets no chance to leave the cluster (a crash). */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: coordinated shutdown, the node leaves the cluster; waits for the exit. */
    public int terminate(Duration limit) throws InterruptedException {
        process.destroy();
        return awaitExit(limit);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
