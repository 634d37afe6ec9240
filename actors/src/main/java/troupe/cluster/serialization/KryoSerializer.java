package troupe.cluster.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.util.Pool;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.ByteBufferSerializer;
import org.apache.pekko.serialization.JSerializer;

/**
 * Pekko serializer on plain Kryo 5 with explicit class registration (the Pekko Kryo module is not
 * served on Maven Central here). Ids are positions in {@code troupe.serialization.kryo-classes},
 * so every node of a cluster must run the same list — which it does, since it ships in
 * reference.conf. An unregistered class fails loudly instead of writing class names on the wire.
 *
 * <p>It is a {@link ByteBufferSerializer}: Artery hands it the frame's buffer, so a message is
 * written once into a reused per-codec array and copied once into the frame, and read straight
 * out of the received frame, with no intermediate byte[] per message. Arrays of ints and floats
 * move as bulk copies ({@link BulkOutput}). Kryo instances are not thread-safe; a bounded pool
 * serves concurrent (de)serialisation.
 */
public final class KryoSerializer extends JSerializer implements ByteBufferSerializer {
    /** Pekko serializer id; must be unique among the system's serializers (Pekko reserves 0–40). */
    public static final int ID = 7301;
    static final int MAX_BUFFER_BYTES = 512 * 1024 * 1024;
    private static final int INITIAL_BUFFER_BYTES = 64 * 1024;
    /** A pooled output that grew past this for one huge message drops it rather than keep it. */
    private static final int RETAINED_BUFFER_BYTES = 64 * 1024 * 1024;
    private static final byte[] NO_BYTES = new byte[0];

    /** One Kryo with its reusable output and input; pooled together. */
    private record Codec(Kryo kryo, BulkOutput out, BulkInput in) {}

    private final Pool<Codec> pool;

    public KryoSerializer(ExtendedActorSystem system) {
        List<String> classes = system.settings().config().getStringList("troupe.serialization.kryo-classes");
        int poolSize = system.settings().config().getInt("troupe.serialization.kryo-pool-size");
        this.pool = new Pool<>(true, false, poolSize) {
            @Override
            protected Codec create() {
                return new Codec(KryoRegistry.newKryo(system, classes),
                        new BulkOutput(INITIAL_BUFFER_BYTES, MAX_BUFFER_BYTES), new BulkInput());
            }
        };
    }

    @Override
    public int identifier() {
        return ID;
    }

    @Override
    public boolean includeManifest() {
        return false;
    }

    @Override
    public byte[] toBinary(Object o) {
        Codec c = pool.obtain();
        try {
            return write(c, o).toBytes();
        } finally {
            release(c);
        }
    }

    /**
     * Artery's path: into the frame buffer. A message larger than the buffer's remaining space
     * throws {@link java.nio.BufferOverflowException}, which Artery logs as an oversized payload
     * naming the frame size (see the sizing rule in reference.conf).
     */
    @Override
    public void toBinary(Object o, ByteBuffer buf) {
        Codec c = pool.obtain();
        try {
            BulkOutput out = write(c, o);
            buf.put(out.getBuffer(), 0, out.position());
        } finally {
            release(c);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        return read(bytes, 0, bytes.length);
    }

    @Override
    public Object fromBinary(ByteBuffer buf, String manifest) {
        if (buf.hasArray()) { // TCP frames arrive as heap buffers: read them in place
            int start = buf.arrayOffset() + buf.position();
            Object o = read(buf.array(), start, buf.remaining());
            buf.position(buf.limit());
            return o;
        }
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return read(bytes, 0, bytes.length);
    }

    private static BulkOutput write(Codec c, Object o) {
        c.out().reset();
        try {
            c.kryo().writeClassAndObject(c.out(), o);
            return c.out();
        } catch (KryoException e) {
            throw new IllegalArgumentException("cannot serialize " + o.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    private Object read(byte[] bytes, int offset, int count) {
        Codec c = pool.obtain();
        try {
            c.in().setBuffer(bytes, offset, count);
            return KryoStreams.readObject(c.kryo(), c.in());
        } finally {
            c.in().setBuffer(NO_BYTES); // do not keep the message reachable
            pool.free(c);
        }
    }

    private void release(Codec c) {
        if (c.out().getBuffer().length > RETAINED_BUFFER_BYTES) {
            c.out().setBuffer(new byte[INITIAL_BUFFER_BYTES], MAX_BUFFER_BYTES);
        }
        pool.free(c);
    }
}
