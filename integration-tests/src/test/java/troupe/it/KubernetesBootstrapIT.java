package troupe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs started with {@code --shape kubernetes} and no seed nodes form one cluster through
 * Pekko Management Cluster Bootstrap with kubernetes-api discovery, pointed at a stub API server
 * — the shipped shapes/kubernetes.conf unchanged; each node's file only says where the
 * service-account files are and which ports it has (on Kubernetes every pod has its own IP and
 * the same ports). The cluster then runs a short training job end to end.
 */
class KubernetesBootstrapIT {
    static final String NAMESPACE = "troupe-it";
    static final String RUN = """
            troupe.run { task = reverse, steps = 3 }
            troupe.pipeline { prompts-per-step = 2, group-size = 2, generator-parallelism = 2,
              scorer-deadline = 5s, weight-broadcast-timeout = 20s, generate-timeout = 60s, reference-timeout = 60s }
            troupe.sampling.max-new-tokens = 6
            """;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    @Timeout(200)
    void threeNodesFormAClusterThroughKubernetesApiDiscovery() throws Exception {
        Path model = dir.resolve("model");
        TestCluster.saveTinyModel(model);
        List<JvmProcess> nodes = new ArrayList<>();
        Pods pods = new Pods(dir, model, RUN);
        try (StubKubernetesApi api = pods.api()) {
            for (String name : pods.roles.keySet()) {
                nodes.add(pods.start(name));
            }
            JvmProcess learner = nodes.get(0);
            // The generator node's management endpoint reports all three members Up...
            String members = awaitMembersUp(pods.management("generator"), 3, Duration.ofSeconds(120), nodes);
            assertTrue(members.contains("\"learner\"") && members.contains("\"reference\""), members);
            // ...and the cluster it formed trains: the learner exits 0 after its last step.
            assertEquals(0, learner.awaitExit(Duration.ofSeconds(150)), logs(nodes));
            assertTrue(learner.output().contains("finished: 3 steps"), learner.output());
            // batches and weights crossed on the bulk channel, each node on its own port
            assertTrue(nodes.get(1).output().contains("bulk channel listening on 127.0.0.1:"), logs(nodes));
            assertTrue(!logs(nodes).contains("go over Artery"), logs(nodes));
            // no seed nodes anywhere: the members can only have come from the stub's pod listing
            assertTrue(!api.answered().isEmpty() && api.answered().keySet().stream().allMatch(k -> k.startsWith("200 ")),
                    "requests the stub refused: " + api.answered());
            assertTrue(ready(pods.management("scoring")), "scoring node not /ready");
        } finally {
            nodes.forEach(JvmProcess::close);
        }
    }

    /**
     * The learner's container crashes (kill -9) and Kubernetes starts it again in the same pod:
     * same pod IP and ports, same listing from the API server. The new learner JVM finds the
     * surviving pods through Cluster Bootstrap, joins their cluster (it does not found its own),
     * resumes from the checkpoint and finishes the run with the same generator JVM.
     */
    @Test
    @Timeout(300)
    void aLearnerPodRestartedByKubernetesRejoinsThroughBootstrap() throws Exception {
        Path model = dir.resolve("model");
        TestCluster.saveTinyModel(model);
        List<JvmProcess> nodes = new ArrayList<>();
        Pods pods = new Pods(dir, model, RUN.replace("steps = 3", "steps = 8") + "troupe.checkpoint.every-n-steps = 2\n");
        try (StubKubernetesApi api = pods.api()) {
            for (String name : pods.roles.keySet()) {
                nodes.add(pods.start(name));
            }
            Path runFolder = dir.resolve("runs").resolve("it");
            Path metrics = runFolder.resolve("metrics.jsonl");
            await("3 steps published", Duration.ofSeconds(150), () -> lines(metrics) >= 3,
                    () -> logs(nodes));
            nodes.get(0).kill9();
            JvmProcess generator = nodes.get(1);
            await("the generator pod waits for a learner", Duration.ofSeconds(60),
                    () -> generator.output().contains("waiting: no learner in the cluster"), () -> logs(nodes));

            JvmProcess learner = pods.start("learner", "--resume", runFolder.toString());
            nodes.add(learner);
            assertEquals(0, learner.awaitExit(Duration.ofSeconds(180)), logs(nodes));
            assertTrue(learner.output().contains("finished: 8 steps"), learner.output());
            assertFalse(learner.output().contains("founded a new cluster"), learner.output());
            assertTrue(generator.output().split("is up; serving it", -1).length > 2,
                    "the generator JVM served both learners: " + generator.output());
            assertTrue(generator.isAlive() && nodes.get(2).isAlive(), logs(nodes));
        } finally {
            nodes.forEach(JvmProcess::close);
        }
    }

    private static void await(String what, Duration limit, java.util.function.BooleanSupplier condition,
            java.util.function.Supplier<String> logs) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what + "\n" + logs.get());
            }
            Thread.sleep(200);
        }
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Three "pods" — learner, generator, scoring (reward + reference) — each with its own fixed
     * ports, as a pod keeps its IP and ports across a container restart; every node gets the
     * shipped kubernetes shape with only service-account paths and ports in its own file.
     */
    private static final class Pods {
        final Map<String, String> roles = new LinkedHashMap<>();
        private final Map<String, int[]> ports = new LinkedHashMap<>();
        private final Path dir;
        private final Path model;
        private final String run;
        private StubKubernetesApi api;

        Pods(Path dir, Path model, String run) throws IOException {
            this.dir = dir;
            this.model = model;
            this.run = run;
            roles.put("learner", "learner");
            roles.put("generator", "generator");
            roles.put("scoring", "reward,reference");
            for (String name : roles.keySet()) {
                // artery, management, bulk
                ports.put(name, new int[] {TestCluster.freePort(), TestCluster.freePort(), TestCluster.freePort()});
            }
        }

        int management(String pod) {
            return ports.get(pod)[1];
        }

        StubKubernetesApi api() throws Exception {
            List<StubKubernetesApi.Pod> listing = new ArrayList<>();
            roles.keySet().forEach(name -> listing.add(new StubKubernetesApi.Pod("troupe-" + name, management(name))));
            api = new StubKubernetesApi(dir, NAMESPACE, "app.kubernetes.io/part-of=troupe", listing);
            return api;
        }

        JvmProcess start(String pod, String... extraArgs) throws IOException {
            // What the kubelet gives a pod: the API server's address and the pod's IP in the environment.
            Map<String, String> env = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT", String.valueOf(api.port()), "POD_IP", "127.0.0.1");
            int[] p = ports.get(pod);
            Path conf = dir.resolve(pod + ".conf");
            Files.writeString(conf, run + """
                    troupe.run.output-dir = "%s"
                    troupe.run.model = "%s"
                    troupe.node.run-id = it
                    troupe.grpc.port = 0
                    troupe.http.port = 0
                    pekko.remote.artery.canonical.port = %d
                    pekko.management.http.port = %d
                    troupe.bulk.port = %d
                    pekko.discovery.kubernetes-api {
                      api-ca-path = "%s", api-token-path = "%s", pod-namespace-path = "%s"
                    }
                    """.formatted(dir.resolve("runs"), model, p[0], p[1], p[2], api.caFile, api.tokenFile,
                    api.namespaceFile));
            List<String> args = new ArrayList<>(List.of("node", "--role", roles.get(pod), "--shape", "kubernetes",
                    "--config", conf.toString()));
            args.addAll(List.of(extraArgs));
            // A restarted container logs to a file of its own, as kubectl logs --previous keeps the first's.
            Path log = dir.resolve(pod + (Files.exists(dir.resolve(pod + ".log")) ? "-restarted" : "") + ".log");
            return JvmProcess.startWith(log, List.of(), env, args.toArray(String[]::new));
        }
    }

    /** Polls /cluster/members until {@code n} members are Up; returns the JSON. */
    static String awaitMembersUp(int port, int n, Duration limit, List<JvmProcess> nodes) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cluster/members"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                Matcher up = Pattern.compile("\"status\"\\s*:\\s*\"Up\"").matcher(last);
                if (up.results().count() == n) {
                    return last;
                }
            } catch (IOException notYet) {
                // management endpoint not bound yet: engines load first
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no " + n + " Up members within " + limit + ": " + last + "\n" + logs(nodes));
    }

    static boolean ready(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200;
    }

    static String logs(List<JvmProcess> nodes) {
        StringBuilder b = new StringBuilder();
        for (JvmProcess p : nodes) {
            String out = p.output();
            b.append("---- pid ").append(p.pid()).append('\n').append(out, Math.max(0, out.length() - 3000), out.length());
        }
        return b.toString();
    }
}
