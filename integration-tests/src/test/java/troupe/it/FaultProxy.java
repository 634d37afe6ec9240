package troupe.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay that injects network faults between cluster nodes: every connection accepted on
 * {@code listen} is relayed to {@code target}, byte for byte, until a fault is switched on.
 *
 * <ul>
 *   <li>{@link #delay}: each chunk is written {@code millis} after it was read, both directions
 *       (latency, not a bandwidth cap: reading goes on while chunks wait);
 *   <li>{@link #dropConnections()}: every open connection is closed at once, both sockets (a
 *       reset); new connections are relayed again;
 *   <li>{@link #blackhole()}: nothing is read any more from any connection, old or new — the
 *       bytes wait in the kernel's buffers as they would behind a dead switch, and TCP on both
 *       ends sees a silent peer; {@link #heal} lets them through again (nothing is lost, as with
 *       TCP retransmission after a short outage).
 * </ul>
 *
 * Drops and blackholes can be limited to the connections one client address opened, so a node
 * that connects out from its own loopback address (127.0.0.2) can be cut off alone.
 *
 * <p>Why not Pekko's multi-node testkit (its TestConductor throttles and blackholes): it needs
 * its own multi-JVM runner and a conductor client inside every node, while these tests run the
 * real {@code troupe node} CLI in plain JVMs; a relay on the wire needs nothing in the nodes.
 */
final class FaultProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    /** Clients whose connections are blackholed. */
    private final Set<InetAddress> blackholed = ConcurrentHashMap.newKeySet();
    private volatile boolean blackholedAll;
    private volatile long delayMillis;
    private volatile boolean closed;

    FaultProxy(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen);
        daemon("proxy-accept-" + listen.getPort(), this::acceptLoop);
    }

    void delay(long millis) {
        delayMillis = millis;
    }

    /** Blackholes every connection, old and new. */
    void blackhole() {
        blackholedAll = true;
    }

    /**
     * Blackholes the connections opened from {@code client} only (a node whose outbound
     * connections leave from its own loopback address: Artery's {@code outbound-client-hostname}).
     */
    void blackhole(InetAddress client) {
        blackholed.add(client);
    }

    /** Ends blackholes and the delay. */
    void heal() {
        delayMillis = 0;
        synchronized (gate) {
            blackholedAll = false;
            blackholed.clear();
            gate.notifyAll();
        }
    }

    /** Closes every connection open now (both sockets); returns how many. */
    int dropConnections() {
        return drop(null);
    }

    /** Closes the connections open now from {@code client}; returns how many. */
    int dropConnections(InetAddress client) {
        return drop(client);
    }

    private int drop(InetAddress client) {
        int n = 0;
        for (Connection c : Set.copyOf(open)) {
            if (client == null || c.client().equals(client)) {
                c.close();
                n++;
            }
        }
        return n;
    }

    private record Connection(Socket in, Socket out) {
        InetAddress client() {
            return in.getInetAddress();
        }

        void close() {
            quietClose(in);
            quietClose(out);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket in = server.accept();
                Socket out = new Socket();
                try {
                    out.connect(target, 5_000);
                } catch (IOException e) {
                    quietClose(in); // the node behind is down: refuse as it would
                    quietClose(out);
                    continue;
                }
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                Connection c = new Connection(in, out);
                open.add(c);
                relay(in, out, c);
                relay(out, in, c);
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("fault proxy: accept failed: " + e);
                }
            }
        }
    }

    private record Chunk(byte[] bytes, int length, long dueNanos) {}

    private static final Chunk END = new Chunk(new byte[0], -1, 0);

    /** One reader and one writer thread per direction; the queue between them carries the delay. */
    private void relay(Socket from, Socket to, Connection c) {
        LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        String name = from.getPort() + "->" + to.getPort();
        daemon("proxy-read-" + name, () -> {
            try (InputStream in = from.getInputStream()) {
                while (true) {
                    awaitOpenGate(c.client());
                    byte[] buf = new byte[64 * 1024];
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    queue.put(new Chunk(buf, n, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis)));
                }
            } catch (IOException | InterruptedException e) {
                // closed by a drop or by the peer
            }
            queue.add(END);
        });
        daemon("proxy-write-" + name, () -> {
            try (OutputStream out = to.getOutputStream()) {
                for (Chunk k = queue.take(); k != END; k = queue.take()) {
                    long wait = k.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    out.write(k.bytes(), 0, k.length());
                }
            } catch (IOException | InterruptedException e) {
                // closed by a drop or by the peer
            }
            c.close();
            open.remove(c);
        });
    }

    private void awaitOpenGate(InetAddress client) throws InterruptedException {
        synchronized (gate) {
            while (blackholedAll || blackholed.contains(client)) {
                gate.wait();
            }
        }
    }

    private static void quietClose(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        heal();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        dropConnections();
    }
}
