package troupe.cluster.serialization;

import com.esotericsoftware.kryo.io.Output;
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
 */
final class BulkOutput extends Output {
    BulkOutput(int bufferSize, int maxBufferSize) {
        super(bufferSize, maxBufferSize);
        setVariableLengthEncoding(false);
    }

    @Override
    public void writeInts(int[] array, int offset, int count) {
        int bytes = Math.multiplyExact(count, Integer.BYTES);
        require(bytes);
        view(bytes).asIntBuffer().put(array, offset, count);
        position += bytes;
    }

    @Override
    public void writeFloats(float[] array, int offset, int count) {
        int bytes = Math.multiplyExact(count, Float.BYTES);
        require(bytes);
        view(bytes).asFloatBuffer().put(array, offset, count);
        position += bytes;
    }

    private ByteBuffer view(int bytes) {
        return ByteBuffer.wrap(buffer, position, bytes).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
