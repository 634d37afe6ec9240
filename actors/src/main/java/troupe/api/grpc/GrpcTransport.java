package troupe.api.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import troupe.api.HostPort;

/** Netty server builders and client channels from settings: plaintext, or TLS when certificates are configured. */
public final class GrpcTransport {
    private GrpcTransport() {}

    /** A Netty server builder bound to {@code settings.host():settings.port()}, with TLS when configured. */
    public static NettyServerBuilder serverBuilder(GrpcSettings settings) {
        ServerCredentials creds;
        if (settings.tls()) {
            try {
                creds = TlsServerCredentials.create(
                        settings.tlsCertChain().orElseThrow().toFile(), settings.tlsPrivateKey().orElseThrow().toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read TLS certificate chain or key: " + e.getMessage(), e);
            }
        } else {
            creds = InsecureServerCredentials.create();
        }
        return NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.port()), creds);
    }

    /**
     * A client channel to {@code target}: TLS trusting {@code trustedCerts} (PEM) when given,
     * else plaintext.
     */
    public static ManagedChannel channel(HostPort target, Optional<Path> trustedCerts) {
        ChannelCredentials creds;
        if (trustedCerts.isPresent()) {
            try {
                creds = TlsChannelCredentials.newBuilder().trustManager(trustedCerts.get().toFile()).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read trusted certificates: " + e.getMessage(), e);
            }
        } else {
            creds = InsecureChannelCredentials.create();
        }
        return Grpc.newChannelBuilderForAddress(target.host(), target.port(), creds).build();
    }
}
