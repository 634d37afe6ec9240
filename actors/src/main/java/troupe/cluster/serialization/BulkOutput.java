package troupe.cluster.serialization;

import com.esotericsoftware.kryo.io.Output;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A Kryo {@link Output} on a byte[] that writes int and float arrays as one bulk copy instead of
 * Kryo's element-by-element loop. Rollout batches are mostly such arrays (tokens, log-probs), so
 * this is most of the serialisation cost. The bytes are the same as Kryo's fixed-width encoding
 * (little-endian, 4 bytes each); {@link BulkInput} reads them back.
 *
 * <p>Variable-length encoding is off, so {@code int[]} goes through the bulk path too (Kryo's
 * default array serializer writes varints otherwise): 4 bytes per token instead of 1–3, in
 * exchange for a memcpy instead of a branchy loop per element.
 *
 * <p>On an {@link OutputStream} (the bulk channel) an array larger than the buffer goes out in
 * buffer-sized pieces, each flushed to the stream as the buffer fills.
 */
final class BulkOutput extends Output {
    BulkOutput(int bufferSize, int maxBufferSize) {
        super(bufferSize, maxBufferSize);
        setVariableLengthEncoding(false);
    }

    BulkOutput(OutputStream stream, int bufferSize) {
        super(stream, bufferSize);
        setVariableLengthEncoding(false);
    }

    @Override
    public void writeInts(int[] array, int offset, int count) {
        for (int done = 0; done < count; ) {
            int n = piece(count - done);
            view(n * Integer.BYTES).asIntBuffer().put(array, offset + done, n);
            position += n * Integer.BYTES;
            done += n;
        }
    }

    @Override
    public void writeFloats(float[] array, int offset, int count) {
        for (int done = 0; done < count; ) {
            int n = piece(count - done);
            view(n * Float.BYTES).asFloatBuffer().put(array, offset + done, n);
            position += n * Float.BYTES;
            done += n;
        }
    }

    /** Makes room for the next piece of {@code left} 4-byte elements; returns its length. */
    private int piece(int left) {
        int bytes = Math.multiplyExact(left, 4);
        if (outputStream == null || bytes <= capacity) {
            require(bytes); // grows the array, or flushes and fits
            return left;
        }
        if (capacity - position < 4) {
            flush();
        }
        return Math.min(left, (capacity - position) / 4);
    }

    private ByteBuffer view(int bytes) {
        return ByteBuffer.wrap(buffer, position, bytes).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
