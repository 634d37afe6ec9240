package troupe.cluster.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Array;

/**
 * Arrays of objects ({@code String[]}, {@code float[][]}, {@code int[][]}): length + 1 (0 = null),
 * then each element with its class. Replaces Kryo's ObjectArraySerializer, which allocates the
 * announced length before reading an element — a frame claiming 2^31 elements ran the heap out
 * (found by fuzzing the bulk channel). Each element takes at least one byte, so a length beyond
 * the bytes left fails first.
 */
final class ArraySerializer extends Serializer<Object[]> {
    @Override
    public void write(Kryo kryo, Output out, Object[] array) {
        if (array == null) {
            out.writeVarInt(0, true);
            return;
        }
        out.writeVarInt(array.length + 1, true);
        for (Object e : array) {
            kryo.writeClassAndObject(out, e);
        }
    }

    @Override
    public Object[] read(Kryo kryo, Input in, Class<? extends Object[]> type) {
        int length = in.readVarInt(true) - 1;
        if (length < 0) {
            return null;
        }
        if (in instanceof BulkInput b && length > b.bytesLeft()) {
            throw new KryoException("array of " + length + " elements runs past the end of the message ("
                    + b.bytesLeft() + " bytes left)");
        }
        Object[] array = (Object[]) Array.newInstance(type.getComponentType(), length);
        for (int i = 0; i < length; i++) {
            Object e = kryo.readClassAndObject(in);
            if (e != null && !type.getComponentType().isInstance(e)) {
                throw new KryoException("a " + e.getClass().getName() + " inside a " + type.getSimpleName());
            }
            array[i] = e;
        }
        return array;
    }
}
