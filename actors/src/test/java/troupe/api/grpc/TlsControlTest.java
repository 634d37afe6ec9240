package troupe.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.api.FakeRunControl;
import troupe.api.HostPort;
import troupe.api.LearnerEventHub;
import troupe.proto.v1.ControlGrpc;
import troupe.proto.v1.StatusRequest;

/** Control over Netty with TLS from configured PEM files: a self-signed certificate made with openssl. */
class TlsControlTest {

    @TempDir
    Path dir;

    @Test
    void controlWorksOverTlsAndPlaintextClientsAreRefused() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        assumeTrue(selfSigned(cert, key), "openssl is not installed");
        GrpcSettings settings = GrpcSettings.fromConfig(ConfigFactory.parseMap(Map.of(
                "troupe.grpc.host", "127.0.0.1", "troupe.grpc.port", 0, "troupe.grpc.token", "tls-token",
                "troupe.grpc.tls-cert-chain", cert.toString(), "troupe.grpc.tls-private-key", key.toString()))
                .withFallback(troupe.config.TroupeConfig.reference()), Map.of());
        try (TroupeGrpcServer server = new TroupeGrpcServer(GrpcTransport.serverBuilder(settings),
                new LearnerEventHub(1, 1), new FakeRunControl(), settings.token()).start()) {
            HostPort target = new HostPort("localhost", server.port());
            ManagedChannel tls = GrpcTransport.channel(target, Optional.of(cert));
            ManagedChannel plain = GrpcTransport.channel(target, Optional.empty());
            try {
                var status = ControlGrpc.newBlockingStub(tls).withCallCredentials(new BearerToken("tls-token"))
                        .withDeadlineAfter(10, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
                assertEquals("run-1", status.getRunId());
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                        () -> ControlGrpc.newBlockingStub(plain).withCallCredentials(new BearerToken("tls-token"))
                                .withDeadlineAfter(10, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance()));
                assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            } finally {
                tls.shutdownNow();
                plain.shutdownNow();
            }
        }
    }

    /** A self-signed cert for localhost/127.0.0.1 and its PKCS#8 key; false when openssl is missing. */
    private static boolean selfSigned(Path cert, Path key) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            return false;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return Files.size(cert) > 0 && Files.readString(key).contains("BEGIN PRIVATE KEY");
    }
}
