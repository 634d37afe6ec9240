package troupe.cluster.bulk;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import troupe.cluster.serialization.KryoStreams;
import troupe.fuzz.Rejections;

/**
 * Fuzz target: the bytes a bulk server streams back to a fetching node (after the handshake), read
 * exactly as {@link BulkClient} reads them — the channel's stream input, the per-fetch byte limit
 * (here 1 MiB), Troupe's Kryo. A peer's bytes decode or fail with KryoException; no announced
 * length is allocated past the limit.
 */
class BulkFrameFuzzTest {
    private static final long LIMIT = 1 << 20;
    private static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.load());
    private static final Kryo KRYO = KryoStreams.kryo(KIT.system());

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @FuzzTest(maxDuration = Rejections.CEILING)
    void decodesOrFailsTheFetch(byte[] stream) throws Throwable {
        Input in = KryoStreams.input(new ByteArrayInputStream(stream), BulkServer.BUFFER_BYTES);
        Rejections.expectOnly("", () -> {
            if (in.readByte() == BulkServer.FOUND) {
                KryoStreams.limitFrom(in, LIMIT);
                KryoStreams.readObject(KRYO, in);
            } else {
                in.readString();
            }
        }, KryoException.class);
    }
}
