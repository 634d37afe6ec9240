package troupe.cluster.serialization;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.esotericsoftware.kryo.KryoException;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import troupe.fuzz.Rejections;

/**
 * Fuzz target: Kryo-encoded cluster messages as Artery hands them to {@link KryoSerializer}
 * (a frame from a peer). A frame decodes, or fails with KryoException, and a length a frame
 * announces never makes the reader allocate more than the frame holds.
 */
class KryoFuzzTest {
    private static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.load());
    private static final KryoSerializer SERIALIZER =
            new KryoSerializer((ExtendedActorSystem) Adapter.toClassic(KIT.system()));

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @FuzzTest(maxDuration = Rejections.CEILING)
    void decodesOrRejectsTheFrame(byte[] frame) throws Throwable {
        Rejections.expectOnly("", () -> SERIALIZER.fromBinaryJava(frame, null),
                KryoException.class);
    }
}
