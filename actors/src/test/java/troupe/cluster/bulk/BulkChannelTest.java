package troupe.cluster.bulk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import troupe.core.config.SettingsException;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;

class BulkChannelTest {
    /** A clustered system (remote addresses resolve), never joined; offers are dropped after 1 s. */
    static final ActorTestKit kit = ActorTestKit.create("bulk", ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            troupe.bulk.retention = 1s
            """).withFallback(ConfigFactory.load()));

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static RolloutBatch batch(int samples, int tokens) {
        return troupe.cluster.TestBatches.batch(samples, tokens);
    }

    private static RolloutBatch fetch(BulkRef ref) throws Exception {
        return BulkChannel.get(kit.system()).fetch(ref, RolloutBatch.class).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private static void assertSameSamples(RolloutBatch expected, RolloutBatch actual) {
        assertEquals(expected.batchId(), actual.batchId());
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Sample s = expected.samples().get(i);
            Sample t = actual.samples().get(i);
            assertArrayEquals(s.responseTokens(), t.responseTokens());
            assertArrayEquals(s.untruncatedLogprobs(), t.untruncatedLogprobs());
            assertEquals(s.responseText(), t.responseText());
        }
    }

    @Test
    void aBatchLargerThanTheSocketBufferIsFetchedWholeAndOnlyOnce() throws Exception {
        BulkChannel bulk = BulkChannel.get(kit.system());
        RolloutBatch b = batch(300, 300); // ~1 MB: several pieces of the stream buffer
        BulkRef ref = bulk.offer(b);
        assertSameSamples(b, fetch(ref));
        var e = assertThrows(ExecutionException.class, () -> fetch(ref));
        assertInstanceOf(IOException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("fetched already"), e.getCause().getMessage());
    }

    @Test
    void oneKeptAliveConnectionCarriesFetchAfterFetch() throws Exception {
        BulkChannel bulk = BulkChannel.get(kit.system());
        for (int i = 1; i <= 5; i++) {
            RolloutBatch b = batch(10 * i, 50 * i);
            assertSameSamples(b, fetch(bulk.offer(b)));
        }
    }

    @Test
    void concurrentFetchesEachGetTheirOwnBatch() throws Exception {
        BulkChannel bulk = BulkChannel.get(kit.system());
        List<RolloutBatch> batches = new ArrayList<>();
        List<CompletableFuture<RolloutBatch>> fetched = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RolloutBatch b = batch(20 + i, 100);
            batches.add(b);
            fetched.add(bulk.fetch(bulk.offer(b), RolloutBatch.class).toCompletableFuture());
        }
        for (int i = 0; i < 8; i++) {
            assertSameSamples(batches.get(i), fetched.get(i).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void anOfferNotFetchedWithinTheRetentionIsDropped() throws Exception {
        BulkChannel bulk = BulkChannel.get(kit.system());
        BulkRef stale = bulk.offer(batch(2, 2));
        Thread.sleep(1_200); // troupe.bulk.retention = 1s
        BulkRef fresh = bulk.offer(batch(3, 3)); // each offer sweeps what expired
        assertEquals(1, bulk.heldCount(), "only the fresh offer is still held");
        var e = assertThrows(ExecutionException.class, () -> fetch(stale));
        assertTrue(e.getCause().getMessage().contains("troupe.bulk.retention"), e.getCause().getMessage());
        assertEquals(3, fetch(fresh).size());
    }

    @Test
    void aFetchFromANodeThatIsGoneFails() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        var e = assertThrows(ExecutionException.class, () -> fetch(new BulkRef("127.0.0.1", closed, 1, 2)));
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void aFetchOfTheWrongTypeFailsNamingBoth() throws Exception {
        BulkChannel bulk = BulkChannel.get(kit.system());
        BulkRef ref = bulk.offer(batch(1, 1));
        var e = assertThrows(ExecutionException.class,
                () -> bulk.fetch(ref, String.class).toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("not a java.lang.String"), e.getCause().getMessage());
    }

    @Test
    void onlyActorsOnOtherNodesAreOfferedTo() {
        BulkChannel bulk = BulkChannel.get(kit.system());
        ActorRef<String> local = kit.createTestProbe(String.class).getRef();
        ActorRef<String> remote = ActorRefResolver.get(kit.system())
                .resolveActorRef("pekko://bulk@127.0.0.1:1/user/generator");
        assertFalse(bulk.offersTo(local));
        assertTrue(bulk.offersTo(remote));
    }

    @Test
    void badSettingsNameTheirKey() {
        var e = assertThrows(SettingsException.class, () -> BulkSettings.fromConfig(
                ConfigFactory.parseString("troupe.bulk.port = 70000").withFallback(ConfigFactory.load())));
        assertTrue(e.getMessage().contains("troupe.bulk.port"), e.getMessage());
    }
}
