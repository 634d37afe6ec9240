package troupe.it;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.hf.HfFolder;

/**
 * Real cluster nodes as separate JVMs on 127.0.0.1: a tiny random Llama saved as an HF folder,
 * one config file per node (its port, the learner as seed node, the run's settings), and the
 * run's outputs (metrics log, batch ledger). Closing kills every node it started.
 */
final class TestCluster implements AutoCloseable {
    final Path dir;
    final Path model;
    private final int seedPort;
    private final String runSettings;
    /** Nodes listed as seed nodes after the learner, with their ports fixed up front. */
    private final Map<String, Integer> moreSeeds = new LinkedHashMap<>();
    private final Map<String, JvmProcess> nodes = new LinkedHashMap<>();
    /** Node name → HOCON added to that node's file only. */
    private final Map<String, String> nodeSettings = new LinkedHashMap<>();
    /** The README's example node configs (examples/cluster/), or null for the learner as the only seed. */
    private Path examples;

    /** @param runSettings HOCON added to every node's config (steps, pipeline shape, ...) */
    TestCluster(Path dir, String runSettings) throws IOException {
        this(dir, runSettings, List.of());
    }

    /**
     * @param moreSeeds names of nodes that are seed nodes too, after the learner: a restarted
     *     learner (the first seed) then joins the cluster they still form instead of founding its own
     */
    TestCluster(Path dir, String runSettings, List<String> moreSeeds) throws IOException {
        this.dir = dir;
        this.model = dir.resolve("model");
        this.seedPort = freePort();
        this.runSettings = runSettings;
        for (String name : moreSeeds) {
            this.moreSeeds.put(name, freePort());
        }
        saveTinyModel(model);
    }

    /**
     * A cluster whose nodes run the README's example configs ({@code examples/cluster/<role>.conf},
     * learner and reference as seeds) with only the addresses of {@code seeds.conf} and each node's
     * own address replaced by 127.0.0.1 ports.
     */
    static TestCluster fromExamples(Path dir, String runSettings) throws IOException {
        TestCluster c = new TestCluster(dir, runSettings, List.of("reference"));
        c.examples = KubernetesManifestsTest.ROOT.resolve("examples").resolve("cluster");
        return c;
    }

    /** A 2-layer, 64-wide Llama over bytes (~0.1M parameters): each JVM loads it in well under a second. */
    static void saveTinyModel(Path folder) throws IOException {
        ModelConfig config = ModelConfig.sized(ModelType.LLAMA, ByteTokenizer.VOCAB, 2, 64, 4, 128,
                ByteTokenizer.BOS, ByteTokenizer.EOS, ByteTokenizer.PAD);
        try (NDManager manager = NDManager.newBaseManager()) {
            HfFolder.save(folder, CausalLms.random(config, manager, 7), new ByteTokenizer());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Adds {@code hocon} to node {@code name}'s file from its next start on, after the generated
     * lines, so it wins: e.g. a node reached through a fault proxy advertises the proxy's address
     * while it binds its own.
     */
    void configure(String name, String hocon) {
        nodeSettings.put(name, hocon);
    }

    /** Starts node {@code name}; the learner must be started as "learner" (it is the seed node). */
    JvmProcess start(String name, String roles, List<Path> plugins, String... extraArgs) throws IOException {
        int port = name.equals("learner") ? seedPort : moreSeeds.containsKey(name) ? moreSeeds.get(name) : freePort();
        StringBuilder seeds = new StringBuilder("\"pekko://troupe@127.0.0.1:" + seedPort + "\"");
        moreSeeds.values().forEach(p -> seeds.append(", \"pekko://troupe@127.0.0.1:").append(p).append('"'));
        Path conf = dir.resolve(name + ".conf");
        String run = runSettings + "\n"
                + "troupe.run.output-dir = \"" + dir.resolve("runs") + "\"\n"
                + "troupe.run.model = \"" + model + "\"\n"
                + "troupe.node.run-id = it\n"
                // a learner node serves gRPC and the dashboard: any free ports, never a busy default
                + "troupe.grpc.port = 0\ntroupe.http.port = 0\n"
                + "pekko.remote.artery.canonical.port = " + port + "\n";
        String generated = examples == null ? run + "pekko.cluster.seed-nodes = [" + seeds + "]\n"
                : "include file(\"" + examples.resolve(roles.split(",")[0] + ".conf") + "\")\n" + run
                        + "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"\n"
                        + "seeds.learner = \"127.0.0.1:" + seedPort + "\"\n"
                        + "seeds.reference = \"127.0.0.1:" + moreSeeds.get("reference") + "\"\n";
        Files.writeString(conf, generated + nodeSettings.getOrDefault(name, "") + "\n");
        List<String> args = new ArrayList<>(List.of("node", "--role", roles, "--config", conf.toString()));
        args.addAll(List.of(extraArgs));
        JvmProcess p = JvmProcess.startWith(dir.resolve(name + ".log"), plugins, args.toArray(String[]::new));
        JvmProcess previous = nodes.put(name, p);
        if (previous != null) {
            previous.close();
        }
        return p;
    }

    JvmProcess node(String name) {
        return nodes.get(name);
    }

    Path runFolder() {
        return dir.resolve("runs").resolve("it");
    }

    /** Lines of the learner's metrics log (one LearnerEvent JSON per step). */
    List<String> events() {
        return lines(runFolder().resolve("metrics.jsonl"));
    }

    /** Lines of the batch ledger: "trained|stale|lost|resumed TAB batch-id TAB ...". */
    List<String[]> ledger() {
        return lines(runFolder().resolve("batches.tsv")).stream().map(l -> l.split("\t")).toList();
    }

    long trained() {
        return ledger().stream().filter(l -> l[0].equals("trained")).count();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until {@code condition}; fails with every node's log tail after {@code limit}. */
    void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what + "\n" + logs());
            }
            Thread.sleep(200);
        }
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        nodes.forEach((name, p) -> {
            String out = p.output();
            b.append("---- ").append(name).append(" (alive ").append(p.isAlive()).append(")\n")
                    .append(out, Math.max(0, out.length() - 3000), out.length()).append('\n');
        });
        return b.toString();
    }

    @Override
    public void close() {
        nodes.values().forEach(JvmProcess::close);
    }
}
