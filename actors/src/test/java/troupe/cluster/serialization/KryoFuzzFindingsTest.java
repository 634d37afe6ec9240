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

    /** A String[] claiming 2^30 elements ran the heap out in Kryo's ObjectArraySerializer (BulkFrameFuzzTest). */
    @Test
    void anObjectArrayLongerThanTheFrameFailsBeforeAllocating() {
        byte[] empty = serializer.toBinary(new String[0]);
        byte[] frame = java.util.Arrays.copyOf(empty, empty.length + 4); // class id, then length + 1 as a varint
        byte[] lie = {(byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04}; // 2^30 + 1
        System.arraycopy(lie, 0, frame, empty.length - 1, lie.length);
        KryoException e = assertThrows(KryoException.class, () -> serializer.fromBinaryJava(frame, null));
        assertEquals("array of 1073741824 elements runs past the end of the message (0 bytes left)", e.getMessage());
    }

    @Test
    void objectArraysStillRoundTrip() {
        float[][] rows = {{1, 2}, null, {}};
        float[][] back = (float[][]) serializer.fromBinaryJava(serializer.toBinary(rows), null);
        assertEquals(3, back.length);
        org.junit.jupiter.api.Assertions.assertArrayEquals(rows[0], back[0]);
        org.junit.jupiter.api.Assertions.assertNull(back[1]);
        assertEquals(0, back[2].length);
        String[] names = (String[]) serializer.fromBinaryJava(serializer.toBinary(new String[] {"a", null}), null);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"a", null}, names);
    }
}
