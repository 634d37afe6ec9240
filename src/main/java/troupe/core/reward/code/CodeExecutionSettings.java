package troupe.core.reward.code;

import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/**
 * Settings of the {@code code-execution} reward rule; defaults in
 * {@code troupe.rewards.defaults.code-execution} (reference.conf), where each key is explained.
 *
 * @param objective objective name
 * @param field dataset field holding the tests: a JSON list of Python statements
 * @param codeBlock which fenced block of the response is the program: FIRST or LAST
 * @param interpreter absolute path of a Python 3 interpreter
 * @param timeout wall-clock limit of one sample
 * @param batchBudget wall-clock limit of a whole batch (keep below troupe.pipeline.scorer-deadline)
 * @param parallelism samples run at once, ≥ 1 (0 in the config: the machine's cores)
 * @param memoryBytes RLIMIT_AS of the program
 * @param fileSizeBytes RLIMIT_FSIZE: largest file the program may write
 * @param processes RLIMIT_NPROC: processes (and threads) of the program's user
 * @param maxOutputBytes output (stdout + stderr) read before the program is killed
 * @param allowNetwork run without a network namespace where {@code unshare} is unavailable
 * @param uidBase when root: sample slot k runs as uid and gid {@code uidBase + k}
 * @param workDir where each sample's temporary directory is made
 */
public record CodeExecutionSettings(String objective, String field, Block codeBlock, Path interpreter,
        Duration timeout, Duration batchBudget, int parallelism, long memoryBytes, long fileSizeBytes,
        int processes, long maxOutputBytes, boolean allowNetwork, int uidBase, Path workDir) {

    /** Which fenced code block of a response is run. */
    public enum Block { FIRST, LAST }

    private static final Set<String> KEYS = Set.of("objective", "field", "code-block", "interpreter", "timeout",
            "batch-budget", "parallelism", "memory", "file-size", "processes", "max-output", "allow-network",
            "uid-base", "work-dir");

    public static CodeExecutionSettings fromConfig(ConfigReader r) {
        r.requireOnly(KEYS);
        String interpreter = r.string("interpreter");
        if (!Path.of(interpreter).isAbsolute()) {
            throw new SettingsException(r.key("interpreter"), "an absolute path such as /usr/bin/python3", interpreter);
        }
        long timeout = r.millisIn("timeout", 100, 600_000);
        long budget = r.millisIn("batch-budget", 100, 3_600_000);
        if (budget < timeout) {
            throw SettingsException.because(r.key("batch-budget"), "must be at least timeout (" + timeout
                    + " ms), found " + budget + " ms");
        }
        int parallelism = r.intIn("parallelism", 0, 1024);
        String workDir = r.string("work-dir");
        return new CodeExecutionSettings(r.string("objective"), r.string("field"),
                r.enumOf("code-block", Block.class), Path.of(interpreter), Duration.ofMillis(timeout),
                Duration.ofMillis(budget),
                parallelism == 0 ? Runtime.getRuntime().availableProcessors() : parallelism,
                bytesIn(r, "memory", 16L << 20), bytesIn(r, "file-size", 1), r.intIn("processes", 1, 100_000),
                bytesIn(r, "max-output", 1024), r.bool("allow-network"), r.intIn("uid-base", 1, 2_000_000_000),
                Path.of(workDir.isEmpty() ? System.getProperty("java.io.tmpdir") : workDir));
    }

    /** A HOCON size ("512M", "1G" or bytes) of at least {@code min} bytes. */
    private static long bytesIn(ConfigReader r, String key, long min) {
        long v;
        try {
            v = r.raw().getBytes(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new SettingsException(r.key(key), "a size such as 512M or 1G", r.raw().getValue(key).unwrapped());
        } catch (ConfigException.Missing e) {
            throw new SettingsException(r.key(key), "a value (no default exists)", "nothing");
        }
        if (v < min) {
            throw new SettingsException(r.key(key), "a size of at least " + min + " bytes", v);
        }
        return v;
    }
}
