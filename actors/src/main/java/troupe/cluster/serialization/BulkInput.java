package troupe.cluster.serialization;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads what {@link BulkOutput} writes: int and float arrays as one bulk copy each. */
final class BulkInput extends Input {
    BulkInput() {
        setVariableLengthEncoding(false);
    }

    @Override
    public int[] readInts(int length) {
        int bytes = bytes(length, Integer.BYTES);
        int[] array = new int[length];
        view(bytes).asIntBuffer().get(array);
        position += bytes;
        return array;
    }

    @Override
    public float[] readFloats(int length) {
        int bytes = bytes(length, Float.BYTES);
        float[] array = new float[length];
        view(bytes).asFloatBuffer().get(array);
        position += bytes;
        return array;
    }

    /** Checks the claimed length against the bytes actually left before allocating anything. */
    private int bytes(int length, int width) {
        long bytes = (long) length * width;
        if (length < 0 || bytes > limit - position) {
            throw new KryoException("array of " + length + " elements runs past the end of the message ("
                    + (limit - position) + " bytes left)");
        }
        return (int) bytes;
    }

    private ByteBuffer view(int bytes) {
        return ByteBuffer.wrap(buffer, position, bytes).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
