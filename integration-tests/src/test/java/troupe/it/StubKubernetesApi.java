package troupe.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The one Kubernetes API call kubernetes-api discovery makes —
 * {@code GET https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/<ns>/pods?labelSelector=...}
 * with the service-account bearer token, over TLS checked against the CA file — answered with
 * Running pods on 127.0.0.1, each with its own container port named "management" (all nodes
 * share one IP here, so only the port tells them apart). A wrong path, selector or token gets
 * 404 or 403, as from a real API server, and is counted.
 */
final class StubKubernetesApi implements AutoCloseable {
    /** A pod of the stub's listing: its name and its Pekko Management port. */
    record Pod(String name, int managementPort) {}

    final Path caFile;
    final Path tokenFile;
    final Path namespaceFile;
    private final HttpsServer server;
    private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();

    /** @param selector the label selector the nodes must send, e.g. "app.kubernetes.io/part-of=troupe" */
    StubKubernetesApi(Path dir, String namespace, String selector, List<Pod> pods) throws Exception {
        caFile = dir.resolve("ca.crt");
        tokenFile = dir.resolve("token");
        namespaceFile = dir.resolve("namespace");
        Files.writeString(tokenFile, "it-service-account-token");
        Files.writeString(namespaceFile, namespace);
        Path keystore = dir.resolve("api.p12");
        // A self-signed certificate for 127.0.0.1 that is also the CA file the nodes trust.
        keytool("-genkeypair", "-alias", "api", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "api", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", caFile.toString());
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext(keystore)));
        String path = "/api/v1/namespaces/" + namespace + "/pods";
        String body = podList(pods);
        server.createContext("/", exchange -> {
            String query = exchange.getRequestURI().getRawQuery() == null ? ""
                    : URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            int status = !exchange.getRequestURI().getPath().equals(path) ? 404
                    : !("Bearer " + Files.readString(tokenFile)).equals(auth) ? 403
                    : !query.equals("labelSelector=" + selector) ? 404 : 200;
            answered.computeIfAbsent(status + " " + exchange.getRequestURI(), k -> new AtomicInteger()).incrementAndGet();
            reply(exchange, status, status == 200 ? body : "{\"kind\":\"Status\",\"code\":" + status + "}");
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Requests answered so far, by "status URI". */
    Map<String, Integer> answered() {
        return answered.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
    }

    private static String podList(List<Pod> pods) {
        return pods.stream().map(p -> """
                {"metadata":{"name":"%s"},
                 "spec":{"containers":[{"name":"troupe","ports":[{"name":"management","containerPort":%d}]}]},
                 "status":{"phase":"Running","podIP":"127.0.0.1",
                           "containerStatuses":[{"name":"troupe","state":{"running":{}}}]}}"""
                .formatted(p.name(), p.managementPort()))
                .collect(Collectors.joining(",", "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[", "]}"));
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static SSLContext sslContext(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed:\n" + out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
