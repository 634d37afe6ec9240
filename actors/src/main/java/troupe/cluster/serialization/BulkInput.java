package troupe.cluster.serialization;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads what {@link BulkOutput} writes: int and float arrays as one bulk copy each — or, on an
 * {@link InputStream} (the bulk channel), one copy per buffer-full as the bytes arrive.
 */
final class BulkInput extends Input {
    /** Longest array a stream may announce: the serializer's largest message. */
    private final int maxStreamArrayBytes;

    BulkInput() {
        this.maxStreamArrayBytes = 0;
        setVariableLengthEncoding(false);
    }

    BulkInput(InputStream stream, int bufferSize, int maxArrayBytes) {
        super(stream, bufferSize);
        this.maxStreamArrayBytes = maxArrayBytes;
        setVariableLengthEncoding(false);
    }

    @Override
    public int[] readInts(int length) {
        int[] array = new int[checked(length)];
        for (int done = 0; done < length; ) {
            int n = piece(length - done);
            view(n * Integer.BYTES).asIntBuffer().get(array, done, n);
            position += n * Integer.BYTES;
            done += n;
        }
        return array;
    }

    @Override
    public float[] readFloats(int length) {
        float[] array = new float[checked(length)];
        for (int done = 0; done < length; ) {
            int n = piece(length - done);
            view(n * Float.BYTES).asFloatBuffer().get(array, done, n);
            position += n * Float.BYTES;
            done += n;
        }
        return array;
    }

    /**
     * Checks a claimed length of 4-byte elements before allocating anything: against the bytes
     * left in a message, or against the largest message on a stream (whose end is not known).
     */
    private int checked(int length) {
        long bytes = (long) length * 4;
        long left = inputStream == null ? limit - position : maxStreamArrayBytes;
        if (length < 0 || bytes > left) {
            throw new KryoException("array of " + length + " elements runs past the end of the message ("
                    + left + " bytes " + (inputStream == null ? "left)" : "allowed on a stream)"));
        }
        return length;
    }

    /** Makes the next piece of {@code left} 4-byte elements readable in the buffer; returns its length. */
    private int piece(int left) {
        if (inputStream == null) {
            return left; // checked: all of it is in the buffer
        }
        int available = require(Math.min(left * 4, capacity - capacity % 4));
        return Math.min(left, available / 4);
    }

    private ByteBuffer view(int bytes) {
        return ByteBuffer.wrap(buffer, position, bytes).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
