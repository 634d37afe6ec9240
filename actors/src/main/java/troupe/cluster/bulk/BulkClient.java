package troupe.cluster.bulk;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;
import troupe.cluster.serialization.KryoStreams;

/**
 * The fetching side of the bulk channel: kept-alive connections per offering node, each with
 * its own Kryo, used by one fetch at a time. Decoding reads the socket as the bytes arrive.
 */
final class BulkClient implements AutoCloseable {
    private final Duration timeout;
    private final BulkAuth auth;
    private final long maxFetchBytes;
    private final Supplier<Kryo> kryo;
    private final Map<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param maxFetchBytes most bytes one fetch decodes; announced lengths past it fail before allocating */
    BulkClient(Duration timeout, BulkAuth auth, long maxFetchBytes, Supplier<Kryo> kryo) {
        this.timeout = timeout;
        this.auth = auth;
        this.maxFetchBytes = maxFetchBytes;
        this.kryo = kryo;
    }

    /**
     * Fetches the object behind {@code ref}, blocking. A kept-alive connection that turns out to
     * be dead before the server answered (the node restarted) is replaced once.
     *
     * @throws IOException the node is gone, timed out, or no longer holds the object
     */
    Object fetch(BulkRef ref) throws IOException {
        String address = ref.host() + ":" + ref.port();
        Connection pooled = idle.computeIfAbsent(address, a -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (pooled != null) {
            try {
                return fetch(pooled, ref, address);
            } catch (StaleConnection e) {
                // fall through to a fresh connection: the server never saw the request
            }
        }
        try {
            return fetch(new Connection(ref, timeout, auth, kryo.get()), ref, address);
        } catch (StaleConnection e) {
            throw new IOException("bulk fetch of " + ref + " failed: " + e.getCause(), e.getCause());
        }
    }

    private Object fetch(Connection c, BulkRef ref, String address) throws IOException, StaleConnection {
        byte status;
        try {
            c.request.writeLong(ref.id());
            c.request.writeLong(ref.token());
            c.request.flush();
            status = c.in.readByte();
        } catch (IOException | KryoException e) {
            c.close();
            throw new StaleConnection(e);
        }
        Object value = null;
        String missing = null;
        try {
            if (status == BulkServer.FOUND) {
                KryoStreams.limitFrom(c.in, maxFetchBytes);
                value = KryoStreams.readObject(c.kryo, c.in);
            } else {
                missing = c.in.readString();
            }
        } catch (KryoException e) {
            c.close();
            throw new IOException("bulk fetch of " + ref + " failed half-way: " + e.getMessage(), e);
        }
        release(address, c);
        if (missing != null) {
            throw new IOException("bulk fetch of " + ref + ": " + missing);
        }
        return value;
    }

    private void release(String address, Connection c) {
        if (closed) {
            c.close();
        } else {
            idle.get(address).addFirst(c);
        }
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(q -> q.forEach(Connection::close));
        idle.clear();
    }

    /** The connection failed before the server answered. */
    private static final class StaleConnection extends Exception {
        StaleConnection(Exception cause) {
            super(cause);
        }
    }

    private static final class Connection {
        final Socket socket;
        final DataOutputStream request;
        final Input in;
        final Kryo kryo;

        Connection(BulkRef ref, Duration timeout, BulkAuth auth, Kryo kryo) throws StaleConnection, IOException {
            this.kryo = kryo;
            boolean accepted;
            this.socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout((int) timeout.toMillis());
                socket.connect(new InetSocketAddress(ref.host(), ref.port()), (int) timeout.toMillis());
                this.request = new DataOutputStream(socket.getOutputStream());
                this.in = KryoStreams.input(socket.getInputStream(), BulkServer.BUFFER_BYTES);
                request.write(auth.proof(in.readBytes(BulkAuth.CHALLENGE_BYTES)));
                request.flush();
                accepted = in.readByte() == BulkAuth.ACCEPTED;
            } catch (IOException | KryoException e) {
                close();
                throw new StaleConnection(e);
            }
            if (!accepted) {
                close();
                throw new IOException("bulk server " + ref.host() + ":" + ref.port()
                        + " refused this node: its troupe.bulk.secret differs");
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
