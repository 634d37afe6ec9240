package troupe.cluster.bulk;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bulk channel's handshake: the server sends a fresh random challenge, the connecting node
 * answers HMAC-SHA256(run secret, challenge), the server compares in constant time. The secret
 * never crosses the wire and a recorded answer is useless for the next connection.
 */
final class BulkAuth {
    static final int CHALLENGE_BYTES = 16;
    static final int PROOF_BYTES = 32;
    static final byte ACCEPTED = 1;
    static final byte REFUSED = 0;

    private final SecretKeySpec key;

    BulkAuth(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The answer to {@code challenge} that proves knowledge of the secret. */
    byte[] proof(byte[] challenge) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(challenge);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }

    /** Whether {@code answer} proves the secret; time independent of where they differ. */
    boolean accepts(byte[] challenge, byte[] answer) {
        return MessageDigest.isEqual(proof(challenge), answer);
    }
}
