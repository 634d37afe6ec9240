package troupe.cluster.bulk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import troupe.cluster.serialization.KryoStreams;

/** What keeps strangers and liars off the bulk channel: the run's secret, the offer token, the fetch limit. */
class BulkLimitsTest {
    static final ActorTestKit kit = ActorTestKit.create(ConfigFactory.load());
    static final Supplier<Kryo> KRYO = () -> KryoStreams.kryo(kit.system());
    static final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterAll
    static void shutdown() {
        threads.shutdownNow();
        kit.shutdownTestKit();
    }

    private static BulkServer server(String secret) throws IOException {
        return new BulkServer("127.0.0.1", "127.0.0.1", 0, Duration.ofMinutes(1), new BulkAuth(secret), KRYO, threads);
    }

    private static BulkClient client(String secret, long maxBytes) {
        return new BulkClient(Duration.ofSeconds(10), new BulkAuth(secret), maxBytes, KRYO);
    }

    @Test
    void aNodeWithoutTheRunsSecretIsRefusedAndTheOfferStaysHeld() throws Exception {
        try (BulkServer server = server("run-secret"); BulkClient stranger = client("guess", 1 << 20);
                BulkClient member = client("run-secret", 1 << 20)) {
            BulkRef ref = server.offer(new float[] {1, 2});
            IOException e = assertThrows(IOException.class, () -> stranger.fetch(ref));
            assertEquals("bulk server 127.0.0.1:" + server.port() + " refused this node: its troupe.bulk.secret differs",
                    e.getMessage());
            assertArrayEquals(new float[] {1, 2}, (float[]) member.fetch(ref));
        }
    }

    @Test
    void aFetchWithoutTheOffersTokenGetsNothingAndTheOfferStaysHeld() throws Exception {
        try (BulkServer server = server("s"); BulkClient c = client("s", 1 << 20)) {
            BulkRef ref = server.offer(new int[] {7});
            BulkRef forged = new BulkRef(ref.host(), ref.port(), ref.id(), ref.token() + 1);
            IOException e = assertThrows(IOException.class, () -> c.fetch(forged));
            assertTrue(e.getMessage().contains("nothing held under " + Long.toHexString(ref.id())), e.getMessage());
            assertEquals(1, server.heldCount());
            assertArrayEquals(new int[] {7}, (int[]) c.fetch(ref));
            assertEquals(0, server.heldCount());
        }
    }

    @Test
    void tokensAreRandomAndLeftOutOfTheHandlesText() throws Exception {
        try (BulkServer server = server("s")) {
            BulkRef a = server.offer(1);
            BulkRef b = server.offer(2);
            assertFalse(a.token() == b.token());
            assertFalse(a.toString().contains(Long.toHexString(a.token())));
        }
    }

    @Test
    void anObjectLargerThanTheFetchLimitFailsTheFetch() throws Exception {
        try (BulkServer server = server("s"); BulkClient c = client("s", 4096)) {
            BulkRef ref = server.offer(new float[100_000]);
            IOException e = assertThrows(IOException.class, () -> c.fetch(ref));
            assertTrue(e.getMessage().contains("array of 100000 elements runs past the end of the message"),
                    e.getMessage());
        }
    }

    @Test
    void aPeerAnnouncingAHugeArrayIsStoppedBeforeTheReceiverAllocatesIt() {
        Kryo kryo = KRYO.get();
        int floatArrayId = kryo.getRegistration(float[].class).getId();
        // Kryo's header for a float[] (class id + 2 as a varint, then length + 1), claiming 2^30 floats.
        ByteBuffer lie = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        lie.put((byte) (floatArrayId + 2)).put(varint((1 << 30) + 1)).put(new byte[8]);
        Input in = KryoStreams.input(new ByteArrayInputStream(lie.array(), 0, lie.position()), 1024);
        KryoStreams.limitFrom(in, 1 << 20);
        KryoException e = assertThrows(KryoException.class, () -> kryo.readClassAndObject(in));
        assertTrue(e.getMessage().contains("array of 1073741824 elements runs past the end of the message"),
                e.getMessage());
    }

    @Test
    void theSecretComesFromConfigThenEnvThenTheClusterName() {
        var base = ConfigFactory.load();
        var set = ConfigFactory.parseString("troupe.bulk.secret = \"s3\"").withFallback(base);
        assertEquals("s3", BulkSettings.fromConfig(set, Map.of(BulkSettings.SECRET_ENV, "env"), "c").secret());
        BulkSettings fromEnv = BulkSettings.fromConfig(base, Map.of(BulkSettings.SECRET_ENV, "env"), "c");
        assertEquals("env", fromEnv.secret());
        assertFalse(fromEnv.derivedSecret());
        BulkSettings derived = BulkSettings.fromConfig(base, Map.of(), "troupe");
        assertEquals("troupe-bulk:troupe", derived.secret());
        assertTrue(derived.derivedSecret());
        assertEquals(1L << 30, derived.maxFetchBytes());
    }

    private static byte[] varint(int v) {
        ByteBuffer b = ByteBuffer.allocate(5);
        while ((v & ~0x7F) != 0) {
            b.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.put((byte) v);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }
}
