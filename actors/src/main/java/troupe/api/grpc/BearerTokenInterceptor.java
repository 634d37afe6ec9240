package troupe.api.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Admits a call only when its {@code authorization} metadata is {@code Bearer <token>} with the
 * server's token; anything else is closed with UNAUTHENTICATED before the handler runs.
 */
public final class BearerTokenInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String SCHEME = "Bearer ";

    private final byte[] expected;

    public BearerTokenInterceptor(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be empty");
        }
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Constant time for equal lengths (MessageDigest.isEqual reads every byte), so response timing
     * does not tell how much of a guessed token is right.
     */
    static boolean sameToken(byte[] expected, byte[] presented) {
        return MessageDigest.isEqual(expected, presented);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String header = headers.get(AUTHORIZATION);
        String problem = null;
        if (header == null) {
            problem = "missing authorization metadata: send 'authorization: Bearer <token>'";
        } else if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            problem = "authorization metadata must use the Bearer scheme";
        } else if (!sameToken(expected, header.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8))) {
            problem = "wrong bearer token";
        }
        if (problem != null) {
            call.close(Status.UNAUTHENTICATED.withDescription(problem), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }
}
