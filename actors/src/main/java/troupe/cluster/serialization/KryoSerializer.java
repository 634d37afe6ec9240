package troupe.cluster.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.JSerializer;

/**
 * Pekko serializer on plain Kryo 5 with explicit class registration (the Pekko Kryo module is not
 * served on Maven Central here). Ids are positions in {@code troupe.serialization.kryo-classes},
 * so every node of a cluster must run the same list — which it does, since it ships in
 * reference.conf. An unregistered class fails loudly instead of writing class names on the wire.
 *
 * <p>Kryo instances are not thread-safe; a bounded pool serves concurrent (de)serialisation.
 */
public final class KryoSerializer extends JSerializer {
    /** Pekko serializer id; must be unique among the system's serializers (Pekko reserves 0–40). */
    public static final int ID = 7301;
    private static final int MAX_BUFFER_BYTES = 512 * 1024 * 1024;

    private final Pool<Kryo> pool;

    public KryoSerializer(ExtendedActorSystem system) {
        List<String> classes = system.settings().config().getStringList("troupe.serialization.kryo-classes");
        int poolSize = system.settings().config().getInt("troupe.serialization.kryo-pool-size");
        this.pool = new Pool<>(true, false, poolSize) {
            @Override
            protected Kryo create() {
                return KryoRegistry.newKryo(system, classes);
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
        Kryo kryo = pool.obtain();
        try (Output out = new Output(4096, MAX_BUFFER_BYTES)) {
            kryo.writeClassAndObject(out, o);
            return out.toBytes();
        } catch (KryoException e) {
            throw new IllegalArgumentException("cannot serialize " + o.getClass().getName() + ": " + e.getMessage(), e);
        } finally {
            pool.free(kryo);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        Kryo kryo = pool.obtain();
        try (Input in = new Input(bytes)) {
            return kryo.readClassAndObject(in);
        } finally {
            pool.free(kryo);
        }
    }
}
