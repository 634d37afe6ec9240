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
    /** On a stream: the most bytes the current message may take, counted from {@link #streamStart}. */
    private long streamBudget;
    private long streamStart;

    BulkInput() {
        setVariableLengthEncoding(false);
    }

    BulkInput(InputStream stream, int bufferSize, long maxMessageBytes) {
        super(stream, bufferSize);
        limitFrom(maxMessageBytes);
        setVariableLengthEncoding(false);
    }

    /** The next message on the stream may take at most {@code maxBytes}, counted from here. */
    void limitFrom(long maxBytes) {
        streamStart = total();
        streamBudget = maxBytes;
    }

    /** Bytes the current message may still take: what is left of a frame, or of a stream's budget. */
    long bytesLeft() {
        return left();
    }

    private long left() {
        return inputStream == null ? limit - position : streamBudget - (total() - streamStart);
    }

    /**
     * Kryo reads the character count of a string and the size of a collection through this, then
     * allocates that many slots before reading one. Each element takes at least a byte, so a count
     * beyond the bytes left is a lie: it fails here instead of allocating (found by fuzzing).
     */
    @Override
    public int readVarIntFlag(boolean optimizePositive) {
        int count = super.readVarIntFlag(optimizePositive);
        if (count < 0 || count - 1 > left()) {
            throw new KryoException("a count of " + count + " runs past the end of the message (" + left()
                    + " bytes left)");
        }
        return count;
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

    // Kryo's array serializers read a length, then allocate: each checks it against the bytes left.
    @Override
    public boolean[] readBooleans(int length) {
        return super.readBooleans(checked(length, 1));
    }

    @Override
    public byte[] readBytes(int length) {
        return super.readBytes(checked(length, 1));
    }

    @Override
    public short[] readShorts(int length) {
        return super.readShorts(checked(length, 2));
    }

    @Override
    public char[] readChars(int length) {
        return super.readChars(checked(length, 2));
    }

    @Override
    public long[] readLongs(int length) {
        return super.readLongs(checked(length, 8));
    }

    @Override
    public double[] readDoubles(int length) {
        return super.readDoubles(checked(length, 8));
    }

    /**
     * Checks a claimed length of 4-byte elements before allocating anything: against the bytes
     * left in a frame, or against what is left of the budget of a message on a stream.
     */
    private int checked(int length) {
        return checked(length, 4);
    }

    private int checked(int length, int width) {
        long bytes = (long) length * width;
        if (length < 0 || bytes > left()) {
            throw new KryoException("array of " + length + " elements runs past the end of the message ("
                    + left() + " bytes " + (inputStream == null ? "left)" : "allowed on a stream)"));
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
