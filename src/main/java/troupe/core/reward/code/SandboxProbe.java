package troupe.core.reward.code;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/**
 * Builds the {@link Sandbox} of the code-execution rule after checking, at start-up, everything
 * it needs: a Python 3 interpreter, {@code prlimit} (and {@code setpriv} when root), an
 * {@code unshare} that can make the namespaces (else the rule refuses to start unless
 * {@code allow-network = true}), and a test program that runs and passes through the whole
 * sandbox. Each failure is a {@link SettingsException} naming the key to change.
 */
final class SandboxProbe {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxProbe.class);
    private static final long PROBE_MS = 20_000;

    private SandboxProbe() {}

    static Sandbox open(CodeExecutionSettings s, ConfigReader keys, ExecutorService io, Harness harness) {
        String block = keys.key("interpreter").replaceFirst("\\.?interpreter$", "");
        if (!Files.isRegularFile(s.interpreter()) || !Files.isExecutable(s.interpreter())) {
            throw new SettingsException(keys.key("interpreter"), "an executable Python 3 interpreter",
                    s.interpreter().toString());
        }
        Result version = exec(List.of(s.interpreter().toString(), "-I", "-c",
                "import sys; print(sys.version_info[0] * 100 + sys.version_info[1])"));
        if (version.exit != 0 || !version.out.strip().matches("\\d+") || Integer.parseInt(version.out.strip()) < 306) {
            throw new SettingsException(keys.key("interpreter"), "a Python 3.6+ interpreter",
                    s.interpreter() + " (" + version.describe() + ")");
        }
        boolean root = isRoot();
        String prlimit = tool("prlimit", block, "to limit memory, CPU time, file size and processes");
        String setpriv = root ? tool("setpriv", block, "to run candidate programs as an unprivileged user") : null;
        List<String> unshare = namespaces(s, keys, root);
        Sandbox sandbox = new Sandbox(s, unshare, setpriv, prlimit, io);
        String probe;
        try {
            Harness.Verdict v = harness.run(sandbox, 0, "x = 6 * 7", List.of("assert x == 42"), PROBE_MS);
            probe = v.score() == 1f ? null : v.outcome();
        } catch (IOException | RuntimeException e) {
            probe = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            probe = "interrupted";
        }
        if (probe != null) {
            throw SettingsException.because(block, "the code-execution sandbox cannot run a test program: " + probe);
        }
        String network = s.allowNetwork() ? "WITH network access (allow-network = true)" : "without network";
        String where = unshare.isEmpty() ? ", no pid namespace (unshare unavailable)" : ", in a pid namespace";
        String user = root ? ", as uids " + s.uidBase() + ".." + (s.uidBase() + s.parallelism() - 1) : "";
        String line = "code-execution: candidate programs run " + network + where + user;
        if (s.allowNetwork()) {
            LOG.warn(line);
        } else {
            LOG.info(line);
        }
        return sandbox;
    }

    /** The unshare prefix, or empty when namespaces are unavailable and allow-network permits it. */
    private static List<String> namespaces(CodeExecutionSettings s, ConfigReader keys, boolean root) {
        String path = onPath("unshare");
        List<String> flags = new ArrayList<>();
        String why;
        if (path == null) {
            why = "unshare (util-linux) is not on PATH";
        } else {
            flags.add(path);
            if (!root) {
                flags.addAll(List.of("--user", "--map-root-user")); // namespaces without privileges
            }
            if (!s.allowNetwork()) {
                flags.add("--net");
            }
            flags.addAll(List.of("--pid", "--fork", "--kill-child", "--mount-proc", "--"));
            List<String> test = new ArrayList<>(flags);
            test.add("true");
            Result r = exec(test);
            if (r.exit == 0) {
                return flags;
            }
            why = "`" + String.join(" ", flags.subList(0, flags.size() - 1)) + " true` failed: " + r.describe();
        }
        if (!s.allowNetwork()) {
            throw SettingsException.because(keys.key("allow-network"), "candidate programs must run without network, but "
                    + why + "; set allow-network = true to run them with the host's network");
        }
        return List.of();
    }

    private static String tool(String name, String block, String why) {
        String path = onPath(name);
        if (path == null) {
            throw SettingsException.because(block, "code-execution needs " + name + " (util-linux) on PATH " + why);
        }
        return path;
    }

    static String onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin:/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** True when this JVM runs as uid 0 (the owner of /proc/self is the process's uid). */
    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private record Result(int exit, String out) {
        String describe() {
            String first = out.strip().lines().findFirst().orElse("");
            return "exit " + exit + (first.isEmpty() ? "" : ", " + first);
        }
    }

    private static Result exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(4096);
            if (!p.waitFor(PROBE_MS, TimeUnit.MILLISECONDS)) {
                Sandbox.killTree(p);
                return new Result(-1, "no answer within " + PROBE_MS + " ms");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
