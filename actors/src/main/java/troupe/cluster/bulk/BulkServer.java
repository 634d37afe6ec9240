package troupe.cluster.bulk;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import troupe.cluster.serialization.KryoStreams;

/**
 * The offering side of the bulk channel: holds objects under random ids and writes each, once,
 * to the connection that asks for it, serialising straight into the socket while the fetching
 * node reads — so encoding, the copy through the kernel and decoding overlap.
 *
 * <p>Wire format. On connect, the {@link BulkAuth} handshake: the server sends a random challenge,
 * the client answers with its proof of the run's secret, the server answers ACCEPTED or REFUSED
 * (and closes). Then, per request on the kept-alive connection: the client sends the id and the
 * token of a {@link BulkRef} (8 bytes each); the server answers {@link #FOUND} and the object in
 * Troupe's Kryo encoding, or {@link #MISSING} and a reason (also for a wrong token). An object not fetched within the retention is dropped (its requester timed out or
 * died); so is one whose write fails half-way — the fetch fails and the pipeline re-admits the
 * batch, it is never sent twice.
 */
final class BulkServer implements AutoCloseable {
    static final byte FOUND = 1;
    static final byte MISSING = 0;
    static final int BUFFER_BYTES = 256 * 1024;
    /**
     * A kept-alive connection idle this long is closed (its fetching node may have died without
     * a FIN); the fetcher replaces a closed pooled connection transparently.
     */
    static final int IDLE_MILLIS = 10 * 60 * 1000;
    private static final Logger LOG = LoggerFactory.getLogger(BulkServer.class);

    private record Held(Object value, long token, long expiresAtNanos) {}

    private final ServerSocket socket;
    private final String host;
    private final Duration retention;
    private final Supplier<Kryo> kryo;
    private final ExecutorService threads;
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final SecureRandom ids = new SecureRandom();
    private final BulkAuth auth;

    /**
     * @param bindHost the interface to listen on
     * @param host the address other nodes reach this one at (Artery's canonical hostname)
     */
    BulkServer(String bindHost, String host, int port, Duration retention, BulkAuth auth, Supplier<Kryo> kryo,
            ExecutorService threads) throws IOException {
        this.socket = new ServerSocket(port, 50, InetAddress.getByName(bindHost));
        this.host = host;
        this.retention = retention;
        this.auth = auth;
        this.kryo = kryo;
        this.threads = threads;
        threads.execute(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Holds {@code value} until it is fetched or the retention passes. */
    BulkRef offer(Object value) {
        long now = System.nanoTime();
        held.values().removeIf(h -> h.expiresAtNanos() - now < 0);
        Held h = new Held(value, ids.nextLong(), now + retention.toNanos());
        long id;
        do {
            id = ids.nextLong();
        } while (held.putIfAbsent(id, h) != null);
        return new BulkRef(host, port(), id, h.token());
    }

    /** Objects offered and not yet fetched or dropped. */
    int heldCount() {
        return held.size();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                threads.execute(() -> serve(s));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("bulk server on {}:{} stopped accepting: {}", host, port(), e.toString());
                }
                return;
            }
        }
    }

    private void serve(Socket s) {
        open.add(s);
        try (s) {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.setSoTimeout(IDLE_MILLIS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 64));
            Output out = KryoStreams.output(s.getOutputStream(), BUFFER_BYTES);
            if (!admitted(s, in, out)) {
                return;
            }
            Kryo k = kryo.get();
            while (true) {
                long id = in.readLong();
                long token = in.readLong();
                Held h = held.get(id);
                // A single 64-bit compare: no early exit whose timing could tell a guess apart.
                if (h == null || h.token() != token || !held.remove(id, h)) {
                    out.writeByte(MISSING);
                    out.writeString("nothing held under " + Long.toHexString(id)
                            + ": fetched already, or dropped after troupe.bulk.retention (" + retention + ")");
                } else {
                    out.writeByte(FOUND);
                    k.writeClassAndObject(out, h.value());
                }
                out.flush();
            }
        } catch (EOFException e) {
            // the fetching node closed the connection
        } catch (IOException e) {
            LOG.debug("bulk connection from {} closed: {}", s.getRemoteSocketAddress(), e.toString());
        } catch (KryoException e) {
            if (e.getCause() instanceof IOException) {
                LOG.debug("bulk connection from {} closed: {}", s.getRemoteSocketAddress(), e.toString());
            } else { // not the network: an object the encoding cannot write
                LOG.warn("bulk connection from {}: cannot serialise the object fetched", s.getRemoteSocketAddress(), e);
            }
        } finally {
            open.remove(s);
        }
    }

    /** The handshake: true when the peer proved the run's secret; a refused peer is told so and logged. */
    private boolean admitted(Socket s, DataInputStream in, Output out) throws IOException {
        byte[] challenge = new byte[BulkAuth.CHALLENGE_BYTES];
        ids.nextBytes(challenge);
        out.writeBytes(challenge);
        out.flush();
        byte[] answer = new byte[BulkAuth.PROOF_BYTES];
        in.readFully(answer);
        if (!auth.accepts(challenge, answer)) {
            LOG.warn("bulk connection from {} refused: it did not prove this run's troupe.bulk.secret",
                    s.getRemoteSocketAddress());
            out.writeByte(BulkAuth.REFUSED);
            out.flush();
            return false;
        }
        out.writeByte(BulkAuth.ACCEPTED);
        out.flush();
        return true;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
        held.clear();
    }
}
