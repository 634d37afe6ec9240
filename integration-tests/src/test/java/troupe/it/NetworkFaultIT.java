package troupe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import troupe.proto.v1.ControlGrpc;
import troupe.proto.v1.PauseRequest;
import troupe.proto.v1.StopRequest;

/**
 * Network faults between the learner and a generator node, injected on the wire by
 * {@link FaultProxy}s: three JVMs on loopback — the learner (with the reward and reference roles),
 * generator "a" and generator "b". Every node advertises a proxy's address and binds its own port
 * behind it (Artery's {@code canonical} vs {@code bind}), so every connection between nodes
 * crosses a proxy; b lives on 127.0.0.2, so the proxies can fault b's connections alone
 * ({@link Wiring}).
 *
 * <p>One run goes through every fault in turn (a cluster's start-up is most of an IT's cost):
 * delay, dropped connections, a blackhole shorter than the split-brain resolver's
 * {@code stable-after} (heals by itself), one of 30 s (b is downed, then restarted and rejoins),
 * then a Control pause and stop, after which the ledger must account for every batch id.
 * Base.conf's failure detector (5 s pause) and {@code stable-after = 7s} are left as they ship.
 */
class NetworkFaultIT {
    static final String RUN = """
            troupe.run { task = reverse, steps = %d }
            troupe.pipeline { prompts-per-step = 2, group-size = 2, generator-parallelism = 2,
              scorer-deadline = 5s, weight-broadcast-timeout = 20s, generate-timeout = 20s, reference-timeout = 20s }
            troupe.bulk.fetch-timeout = 10s
            troupe.sampling.max-new-tokens = 6
            troupe.checkpoint { every-n-steps = 0, on-shutdown = false }
            troupe.node.servers = on
            troupe.grpc { port = 0, token = "%s" }
            troupe.http.port = 0
            """;
    static final String TOKEN = "netfaults-it";
    /** More than the run can reach in the test: it ends with a Control stop once every fault was tried. */
    static final int STEPS = 100_000;
    static final Pattern FINISHED =
            Pattern.compile("finished: (\\d+) steps, policy v\\d+, (\\d+) lost and re-issued, (\\d+) stale");

    /** The split-brain resolver's {@code stable-after} as cluster-config/base.conf ships it (7 s). */
    static final long STABLE_AFTER_MILLIS = com.typesafe.config.ConfigFactory.parseResources("cluster-config/base.conf")
            .getDuration("pekko.cluster.split-brain-resolver.stable-after").toMillis();

    /** Kept when the test fails: node logs, configs and the run folder are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    @Timeout(600)
    void runRidesOutDelayDropsAndBlackholesOfAGenerator() throws Exception {
        long t0 = System.nanoTime();
        Wiring w = new Wiring();
        try (TestCluster c = new TestCluster(dir, RUN.formatted(STEPS, TOKEN)); w) {
            c.configure("learner", w.learner);
            c.configure("generator-a", w.a);
            c.configure("generator-b", w.b);
            c.configure("generator-b-restarted", w.b);
            JvmProcess learner = c.start("learner", "learner,reward,reference", List.of());
            c.start("generator-a", "generator", List.of());
            c.start("generator-b", "generator", List.of());
            c.await("3 trained steps", Duration.ofSeconds(240), () -> c.trained() >= 3);
            log("cluster up, 3 steps", t0, c);

            // 1. 300 ms on every chunk in both directions of every connection to b: slower, nobody unreachable.
            long before = c.trained();
            int delayMark = learner.output().length();
            w.toB.forEach(p -> p.delay(300));
            Thread.sleep(6_000);
            w.heal();
            assertTrue(c.trained() > before, "no step trained while b was slow\n" + c.logs());
            assertFalse(learner.output().substring(delayMark).contains("UNREACHABLE"),
                    "300 ms made b unreachable\n" + c.logs());
            log("delay 300 ms for 6 s", t0, c);

            // 2. Every connection to and from b reset, twice: Artery reconnects; a batch cut mid-fetch is lost.
            long beforeDrops = c.trained();
            int dropped = w.dropB();
            Thread.sleep(2_000);
            dropped += w.dropB();
            c.await("2 steps after the drops", Duration.ofSeconds(30), () -> c.trained() >= beforeDrops + 2);
            assertTrue(dropped > 0, "the proxies relayed no connection of b");
            log("dropped " + dropped + " connections of b, twice", t0, c);

            // 3. A blackhole shorter than detection + stable-after: b may be marked unreachable, then heals.
            // (the failure detector's 5 s pause marks b unreachable after ~6 s; stable-after would act 7 s later)
            int shortMark = learner.output().length();
            w.blackholeB();
            Thread.sleep(9_000);
            w.heal();
            String during = learner.output().substring(shortMark);
            boolean unreachable = during.contains("Marking node as UNREACHABLE [Member(" + w.bAddress);
            if (unreachable) { // healed: the learner's generator pool takes b back
                c.await("b back in the generator listing", Duration.ofSeconds(15),
                        () -> learner.output().substring(shortMark).contains("generator listing: 2 live"));
            }
            Thread.sleep(STABLE_AFTER_MILLIS + 1_000); // had the resolver kept a decision pending, it would act now
            assertTrue(c.node("generator-b").isAlive(), "b died after a 9 s blackhole\n" + c.logs());
            assertFalse(c.logs().contains("SBR took decision"), "a node was downed after a 9 s blackhole\n" + c.logs());
            long afterShort = c.trained();
            log("blackhole 9 s healed (b marked unreachable: " + unreachable + ")", t0, c);

            // 4. A blackhole past stable-after: the majority (learner, a) downs b and trains on with a alone.
            w.blackholeB();
            long blackholeStart = System.nanoTime();
            long lostBefore = lost(c);
            c.await("b downed by the split-brain resolver", Duration.ofSeconds(45), () -> sbrDowned(c));
            long decidedAfter = (System.nanoTime() - blackholeStart) / 1_000_000;
            c.await("b's JVM to exit once downed", Duration.ofSeconds(20), () -> !c.node("generator-b").isAlive());
            long downedAfter = (System.nanoTime() - blackholeStart) / 1_000_000;
            assertTrue(c.node("generator-b").output().contains("SBR took decision DownReachable"),
                    "b's side did not down itself\n" + c.logs());
            long atDown = c.trained();
            Thread.sleep(Math.max(0, 30_000 - (System.nanoTime() - blackholeStart) / 1_000_000));
            assertTrue(c.trained() > atDown, "no step trained with b cut off\n" + c.logs());
            w.heal();
            // b's requests fail when b leaves the listing; a fetch from b's bulk server already under
            // way fails once its connection ends (after the heal) or at troupe.bulk.fetch-timeout.
            c.await("the batch in flight at b reported lost", Duration.ofSeconds(20), () -> lost(c) > lostBefore);
            c.ledger().stream().filter(l -> l[0].equals("lost")).skip(lostBefore)
                    .forEach(l -> assertTrue(l[3].contains("127.0.0.2:"), "lost, not with b: " + String.join(" ", l)));
            log("blackhole 30 s: SBR decision after " + decidedAfter + " ms, b exited after " + downedAfter + " ms, "
                    + (c.trained() - afterShort) + " steps during", t0, c);

            // 5. b restarted on the same address rejoins; the learner syncs it and it samples batches again.
            int mark = learner.output().length();
            JvmProcess b = c.start("generator-b-restarted", "generator", List.of());
            c.await("restarted b rejoined and offering batches", Duration.ofSeconds(180),
                    () -> b.output().contains("bulk channel listening on 127.0.0.2:" + w.bBulk)
                            && learner.output().substring(mark).contains("generator listing: 2 live"));
            log("b restarted and serving", t0, c);

            // 6. Pause, let every admitted batch settle, stop: the ledger is then complete.
            Control control = Control.of(learner.output());
            control.pause();
            c.await("admitted batches settled", Duration.ofSeconds(30), new Quiet(c));
            control.stop();
            assertEquals(0, learner.awaitExit(Duration.ofSeconds(60)), c.logs());
            log("run stopped", t0, c);
            assertLedgerAccountsForEveryBatch(c, learner.output());
        }
    }

    /** The learner node's Control service, at the address its log prints. */
    private record Control(String target) {
        static Control of(String learnerLog) {
            Matcher m = Pattern.compile("grpc +(\\S+:\\d+) ").matcher(learnerLog);
            assertTrue(m.find(), "no gRPC address in the learner's log:\n" + learnerLog);
            return new Control(m.group(1));
        }

        void pause() {
            call(stub -> stub.pause(PauseRequest.getDefaultInstance()));
        }

        void stop() {
            call(stub -> stub.stop(StopRequest.getDefaultInstance()));
        }

        private void call(java.util.function.Consumer<ControlGrpc.ControlBlockingStub> rpc) {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
            try {
                Metadata auth = new Metadata();
                auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
                rpc.accept(ControlGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth))
                        .withDeadlineAfter(10, TimeUnit.SECONDS));
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static long lost(TestCluster c) {
        return c.ledger().stream().filter(l -> l[0].equals("lost")).count();
    }

    /** True once the ledger has not grown for 3 s and its ids run from 1 without a gap. */
    private static final class Quiet implements java.util.function.BooleanSupplier {
        private final TestCluster c;
        private int lines = -1;
        private long since;

        Quiet(TestCluster c) {
            this.c = c;
        }

        @Override
        public boolean getAsBoolean() {
            List<String[]> ledger = c.ledger();
            if (ledger.size() != lines) {
                lines = ledger.size();
                since = System.nanoTime();
                return false;
            }
            long max = ledger.stream().mapToLong(l -> Long.parseLong(l[1])).max().orElse(0);
            return System.nanoTime() - since > 3_000_000_000L && max == ledger.size();
        }
    }

    /**
     * Every node advertises an address where a proxy listens and binds its real port behind it.
     * The learner and a keep 127.0.0.1 (canonical port = their proxy's, bind port = their own); b
     * is 127.0.0.2 for Artery and its bulk server, and its outbound Artery connections leave from
     * 127.0.0.2 too ({@code outbound-client-hostname}), so the learner's and a's proxies can tell
     * b's connections from a's. Cutting b off then silences both directions, a clean partition;
     * with b's inbound only, b's gossip (still reaching the others) reports a unreachable as well,
     * and the resolver downs a with b as "indirectly connected". Not proxied: b's fetches from the
     * learner's bulk server (weights), which only follow a message that reached b over Artery.
     */
    private static final class Wiring implements AutoCloseable {
        final InetAddress bHost = InetAddress.getByName("127.0.0.2");
        final int learnerPort = TestCluster.freePort();
        final int bPort = TestCluster.freePort();
        final int bBulk = TestCluster.freePort();
        final String bAddress = "pekko://troupe@127.0.0.2:" + bPort;
        final String learner;
        final String a;
        final String b;
        final List<FaultProxy> toB;
        final List<FaultProxy> toOthers;

        Wiring() throws IOException {
            int learnerReal = TestCluster.freePort();
            int aPort = TestCluster.freePort();
            int aReal = TestCluster.freePort();
            String seed = "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:" + learnerPort + "\"]\n";
            learner = seed + artery("127.0.0.1", learnerPort, learnerReal);
            a = seed + artery("127.0.0.1", aPort, aReal);
            b = seed + artery("127.0.0.2", bPort, bPort)
                    + "pekko.remote.artery.advanced.tcp.outbound-client-hostname = \"127.0.0.2\"\n"
                    + "troupe.bulk.port = " + bBulk + "\n";
            toB = List.of(new FaultProxy(new InetSocketAddress(bHost, bPort), loopback(bPort)),
                    new FaultProxy(new InetSocketAddress(bHost, bBulk), loopback(bBulk)));
            toOthers = List.of(new FaultProxy(loopback(learnerPort), loopback(learnerReal)),
                    new FaultProxy(loopback(aPort), loopback(aReal)));
        }

        private static String artery(String host, int canonicalPort, int bindPort) {
            return "pekko.remote.artery { canonical.hostname = \"" + host + "\", canonical.port = " + canonicalPort
                    + ", bind.hostname = \"127.0.0.1\", bind.port = " + bindPort + " }\n";
        }

        private static InetSocketAddress loopback(int port) {
            return new InetSocketAddress("127.0.0.1", port);
        }

        void blackholeB() {
            toB.forEach(FaultProxy::blackhole);
            toOthers.forEach(p -> p.blackhole(bHost));
        }

        int dropB() {
            return toB.stream().mapToInt(FaultProxy::dropConnections).sum()
                    + toOthers.stream().mapToInt(p -> p.dropConnections(bHost)).sum();
        }

        void heal() {
            toB.forEach(FaultProxy::heal);
            toOthers.forEach(FaultProxy::heal);
        }

        @Override
        public void close() {
            toB.forEach(FaultProxy::close);
            toOthers.forEach(FaultProxy::close);
        }
    }

    /** The resolver's decision is logged on the leader of the majority (learner or a) and on b's side. */
    private static boolean sbrDowned(TestCluster c) {
        return List.of("learner", "generator-a").stream()
                .anyMatch(n -> c.node(n).output().contains("SBR took decision DownUnreachable"));
    }

    /**
     * Every batch id from 1 to the last is settled exactly once (trained, stale, lost or filtered);
     * as many are trained as the learner's summary counts steps, each in one step event of
     * metrics.jsonl; the summary counts as many lost (and re-issued) batches as the ledger has lost lines.
     */
    private static void assertLedgerAccountsForEveryBatch(TestCluster c, String learnerLog) {
        Matcher summary = FINISHED.matcher(learnerLog);
        assertTrue(summary.find(), learnerLog);
        long steps = Long.parseLong(summary.group(1));
        ClusterRunIT.assertLedgerConsistent(c, steps);
        Set<String> trained = new HashSet<>();
        long lost = 0;
        for (String[] l : c.ledger()) {
            if (l[0].equals("trained")) {
                trained.add(l[1]);
            } else if (l[0].equals("lost")) {
                lost++;
            }
        }
        Set<String> inEvents = new HashSet<>();
        Pattern batchId = Pattern.compile("\"batchId\":\"?(\\d+)");
        for (String e : c.events()) {
            Matcher m = batchId.matcher(e);
            assertTrue(m.find(), "event without a batch id: " + e);
            assertTrue(inEvents.add(m.group(1)), "batch " + m.group(1) + " in two step events");
        }
        assertEquals(trained, inEvents, "trained ids in the ledger vs batch ids of the step events");
        assertEquals(lost, Long.parseLong(summary.group(2)), "lost batches: ledger vs the learner's summary");
        c.ledger().stream().filter(l -> l[0].equals("lost"))
                .forEach(l -> System.out.println("netfaults: " + String.join(" ", l)));
        System.out.println("netfaults: ledger " + c.ledger().size() + " lines, " + trained.size() + " trained, "
                + lost + " lost and re-issued, " + summary.group(3) + " stale");
    }

    private static void log(String what, long t0, TestCluster c) {
        long lost = c.ledger().stream().filter(l -> l[0].equals("lost")).count();
        System.out.printf("netfaults: %6.1f s  %-60s trained %d, lost %d%n", (System.nanoTime() - t0) / 1e9, what,
                c.trained(), lost);
    }
}
