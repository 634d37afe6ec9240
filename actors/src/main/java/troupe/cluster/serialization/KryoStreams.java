package troupe.cluster.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Troupe's Kryo encoding on a stream instead of an Artery frame, for the bulk channel: the same
 * registrations and bulk arrays as {@link KryoSerializer}, so an object written here reads back
 * exactly as one that went through Artery. Kryo instances are not thread-safe: one per connection.
 */
public final class KryoStreams {
    private KryoStreams() {}

    /** A Kryo with the registrations of {@code troupe.serialization.kryo-classes}. */
    public static Kryo kryo(ActorSystem<?> system) {
        ExtendedActorSystem classic = (ExtendedActorSystem) Adapter.toClassic(system);
        return KryoRegistry.newKryo(classic,
                classic.settings().config().getStringList("troupe.serialization.kryo-classes"));
    }

    /** Writes to {@code stream} through a buffer of {@code bufferSize} bytes; arrays in buffer-sized pieces. */
    public static Output output(OutputStream stream, int bufferSize) {
        return new BulkOutput(stream, bufferSize);
    }

    /** Reads from {@code stream}; an announced array longer than the largest message fails before allocating. */
    public static Input input(InputStream stream, int bufferSize) {
        return new BulkInput(stream, bufferSize, KryoSerializer.MAX_BUFFER_BYTES);
    }

    /**
     * Reads one object as {@code kryo.readClassAndObject}, but a value the bytes cannot make (a
     * null where {@code List.of} or a record refuses one, a wrong type: found by fuzzing) fails as
     * a KryoException like any other malformed message, not as an NPE from deep inside a decoder.
     */
    public static Object readObject(Kryo kryo, Input in) {
        try {
            return kryo.readClassAndObject(in);
        } catch (KryoException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KryoException("malformed message: " + e, e);
        }
    }

    /**
     * The next object read from {@code in} (made by {@link #input}) may take at most {@code maxBytes}:
     * a sender announcing a longer array, string or collection fails the read before it is allocated.
     */
    public static void limitFrom(Input in, long maxBytes) {
        ((BulkInput) in).limitFrom(maxBytes);
    }
}
