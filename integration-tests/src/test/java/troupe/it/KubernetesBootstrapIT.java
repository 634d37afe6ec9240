package troupe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("learner", "learner");
        roles.put("generator", "generator");
        roles.put("scoring", "reward,reference");
        Map<String, Integer> management = new LinkedHashMap<>();
        List<StubKubernetesApi.Pod> pods = new ArrayList<>();
        for (String name : roles.keySet()) {
            management.put(name, TestCluster.freePort());
            pods.add(new StubKubernetesApi.Pod("troupe-" + name, management.get(name)));
        }
        Path model = dir.resolve("model");
        TestCluster.saveTinyModel(model);
        List<JvmProcess> nodes = new ArrayList<>();
        try (StubKubernetesApi api = new StubKubernetesApi(dir, NAMESPACE, "app.kubernetes.io/part-of=troupe", pods)) {
            // What the kubelet gives a pod: the API server's address and the pod's IP in the environment.
            Map<String, String> env = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT", String.valueOf(api.port()), "POD_IP", "127.0.0.1");
            for (var node : roles.entrySet()) {
                Path conf = dir.resolve(node.getKey() + ".conf");
                Files.writeString(conf, RUN + """
                        troupe.run.output-dir = "%s"
                        troupe.run.model = "%s"
                        troupe.node.run-id = it
                        pekko.remote.artery.canonical.port = %d
                        pekko.management.http.port = %d
                        troupe.bulk.port = %d
                        pekko.discovery.kubernetes-api {
                          api-ca-path = "%s", api-token-path = "%s", pod-namespace-path = "%s"
                        }
                        """.formatted(dir.resolve("runs"), model, TestCluster.freePort(), management.get(node.getKey()),
                        TestCluster.freePort(), api.caFile, api.tokenFile, api.namespaceFile));
                nodes.add(JvmProcess.startWith(dir.resolve(node.getKey() + ".log"), List.of(), env,
                        "node", "--role", node.getValue(), "--shape", "kubernetes", "--config", conf.toString()));
            }
            JvmProcess learner = nodes.get(0);
            // The generator node's management endpoint reports all three members Up...
            String members = awaitMembersUp(management.get("generator"), 3, Duration.ofSeconds(120), nodes);
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
            assertTrue(ready(management.get("scoring")), "scoring node not /ready");
        } finally {
            nodes.forEach(JvmProcess::close);
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
