package troupe.cluster.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.esotericsoftware.kryo.KryoException;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Frames the Kryo fuzz targets (KryoFuzzTest, BulkFrameFuzzTest) found crashing, now rejected as KryoException. */
class KryoFuzzFindingsTest {
    static final ActorTestKit kit = ActorTestKit.create(ConfigFactory.load());
    static final KryoSerializer serializer = new KryoSerializer((ExtendedActorSystem) Adapter.toClassic(kit.system()));

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    /** Class id 1 is Kryo's "class by name" marker: it threw NullPointerException in DefaultClassResolver.readName. */
    @Test
    void aClassGivenByNameIsRefused() {
        KryoException e = assertThrows(KryoException.class, () -> serializer.fromBinaryJava(new byte[] {1, 0}, null));
        assertEquals("a class given by name: Troupe's encoding carries registered class ids only", e.getMessage());
    }

    /** List.of(null) read from a frame threw NullPointerException out of Kryo's immutable-list serializer. */
    @Test
    void aNullInsideAnImmutableListIsAMalformedMessage() {
        byte[] list = serializer.toBinary(java.util.List.of(7));
        byte[] element = serializer.toBinary(7);
        byte[] frame = java.util.Arrays.copyOf(list, list.length - element.length + 1); // the element -> null (id 0)
        frame[frame.length - 1] = 0;
        KryoException e = assertThrows(KryoException.class, () -> serializer.fromBinaryJava(frame, null));
        assertEquals("malformed message: java.lang.NullPointerException", e.getMessage());
    }
}
