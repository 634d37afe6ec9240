package troupe.cluster.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import troupe.cluster.TestBatches;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;

class KryoStreamsTest {
    static final ActorTestKit kit = ActorTestKit.create(ConfigFactory.load());

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static RolloutBatch batch(int samples, int tokens) {
        return TestBatches.batch(samples, tokens);
    }

    /** Hands out at most 1,000 bytes per read, as a socket does when bytes arrive in pieces. */
    static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
    }

    @Test
    void arraysLargerThanTheBufferStreamInPiecesAndReadBackExactly() {
        RolloutBatch b = batch(6, 3000); // 12 KB arrays through a 4 KB buffer
        Kryo kryo = KryoStreams.kryo(kit.system());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Output out = KryoStreams.output(bytes, 4096);
        kryo.writeClassAndObject(out, b);
        kryo.writeClassAndObject(out, batch(1, 5)); // a second object on the same stream
        out.flush();

        Input in = KryoStreams.input(trickle(bytes.toByteArray()), 4096);
        RolloutBatch back = (RolloutBatch) kryo.readClassAndObject(in);
        for (int i = 0; i < 6; i++) {
            Sample s = b.samples().get(i);
            Sample t = back.samples().get(i);
            assertArrayEquals(s.responseTokens(), t.responseTokens());
            assertArrayEquals(s.behaviourLogprobs(), t.behaviourLogprobs());
            assertArrayEquals(s.responseMask(), t.responseMask());
            assertEquals(s.metadata(), t.metadata());
            assertEquals(s.truncated(), t.truncated());
        }
        assertEquals(1, ((RolloutBatch) kryo.readClassAndObject(in)).size(), "the stream stays in step");
    }

    @Test
    void aStreamCarriesTheSameBytesAsAnArteryFrame() {
        RolloutBatch b = batch(3, 2000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Output out = KryoStreams.output(bytes, 4096);
        KryoStreams.kryo(kit.system()).writeClassAndObject(out, b);
        out.flush();
        assertArrayEquals(SerializationExtension.get(kit.system()).serialize(b).get(), bytes.toByteArray());
    }

    @Test
    void anAnnouncedArrayLongerThanTheLargestMessageFailsBeforeAllocating() {
        RolloutBatch b = batch(1, 10);
        Kryo kryo = KryoStreams.kryo(kit.system());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Output out = KryoStreams.output(bytes, 4096);
        kryo.writeClassAndObject(out, b);
        out.flush();
        byte[] wire = bytes.toByteArray();
        // Sample p0 on the wire: its id "p0" (Kryo ASCII: the last char carries the high bit), group
        // id 0, then the prompt tokens' length 2. Announce 2^31-1 tokens instead.
        int at = indexOf(wire, new byte[] {'p', (byte) ('0' | 0x80), 0, 2});
        assertTrue(at >= 0, "sample p0 found");
        byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        byte[] bad = new byte[wire.length + huge.length - 1];
        System.arraycopy(wire, 0, bad, 0, at + 3);
        System.arraycopy(huge, 0, bad, at + 3, huge.length);
        System.arraycopy(wire, at + 4, bad, at + 3 + huge.length, wire.length - at - 4);
        var e = assertThrows(KryoException.class,
                () -> kryo.readClassAndObject(KryoStreams.input(new ByteArrayInputStream(bad), 4096)));
        assertTrue(e.getMessage().contains("allowed on a stream"), e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
