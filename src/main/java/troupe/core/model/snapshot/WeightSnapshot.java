package troupe.core.model.snapshot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import troupe.core.model.ModelFormatException;
import troupe.core.model.ParameterLayout;
import troupe.core.model.ParameterStore;

/**
 * An immutable, versioned, checksummed flat copy of a model's weights, for shipping a new policy
 * version from the learner to generator and reference replicas.
 *
 * <p>Wire form ({@link #toBytes}), little-endian: magic "TRWS", version i64, encoding u8, tensor
 * count i32, then per tensor (name length i32, UTF-8 name, rank i32, dims i64…), then the values
 * of every tensor in order, then a CRC32C of all preceding bytes. {@link #applyTo} verifies the
 * checksum, names and shapes before it writes anything, then copies in place (no reload).
 */
public final class WeightSnapshot {

    private static final int MAGIC = 0x53575254; // "TRWS" little-endian

    private final long version;
    private final SnapshotEncoding encoding;
    private final List<String> names;
    private final List<long[]> shapes;
    private final byte[] bytes; // full wire form including the checksum

    private WeightSnapshot(long version, SnapshotEncoding encoding, List<String> names, List<long[]> shapes, byte[] bytes) {
        this.version = version;
        this.encoding = encoding;
        this.names = Collections.unmodifiableList(names);
        this.shapes = shapes;
        this.bytes = bytes;
    }

    /** Copies every parameter of {@code store} to the host and encodes it. */
    public static WeightSnapshot export(ParameterStore store, long version, SnapshotEncoding encoding) {
        Map<String, float[]> host = store.toHost();
        Map<String, long[]> shapes = store.shapes();
        int headerSize = 4 + 8 + 1 + 4;
        long values = 0;
        for (String name : host.keySet()) {
            headerSize += 4 + name.getBytes(StandardCharsets.UTF_8).length + 4 + 8 * shapes.get(name).length;
            values += host.get(name).length;
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(headerSize + values * encoding.bytesPerValue() + 8))
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putLong(version).put((byte) encoding.ordinal()).putInt(host.size());
        for (String name : host.keySet()) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            buf.putInt(n.length).put(n).putInt(shapes.get(name).length);
            for (long d : shapes.get(name)) {
                buf.putLong(d);
            }
        }
        for (float[] data : host.values()) {
            for (float f : data) {
                encoding.put(buf, f);
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putLong(crc.getValue());
        return new WeightSnapshot(version, encoding, new ArrayList<>(host.keySet()), new ArrayList<>(shapes.values()),
                buf.array());
    }

    /** Parses a wire form; the checksum is verified here and again by {@link #applyTo}. */
    public static WeightSnapshot fromBytes(byte[] wire) {
        byte[] copy = wire.clone();
        verify(copy);
        ByteBuffer buf = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.getInt() != MAGIC) {
            throw new ModelFormatException("not a weight snapshot (bad magic)");
        }
        long version = buf.getLong();
        SnapshotEncoding enc = SnapshotEncoding.values()[buf.get()];
        int count = buf.getInt();
        List<String> names = new ArrayList<>(count);
        List<long[]> shapes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] n = new byte[buf.getInt()];
            buf.get(n);
            names.add(new String(n, StandardCharsets.UTF_8));
            long[] shape = new long[buf.getInt()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = buf.getLong();
            }
            shapes.add(shape);
        }
        return new WeightSnapshot(version, enc, names, shapes, copy);
    }

    private static void verify(byte[] wire) {
        if (wire.length < 8) {
            throw new ModelFormatException("weight snapshot truncated");
        }
        CRC32C crc = new CRC32C();
        crc.update(wire, 0, wire.length - 8);
        long stored = ByteBuffer.wrap(wire, wire.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (stored != crc.getValue()) {
            throw new ModelFormatException("weight snapshot checksum mismatch: stored " + Long.toHexString(stored)
                    + ", computed " + Long.toHexString(crc.getValue()));
        }
    }

    /** Policy version these weights belong to. */
    public long version() {
        return version;
    }

    public SnapshotEncoding encoding() {
        return encoding;
    }

    public List<String> names() {
        return names;
    }

    /** CRC32C over the wire form (the last 8 bytes of {@link #toBytes}). */
    public long checksum() {
        return ByteBuffer.wrap(bytes, bytes.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** A copy of the wire form. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Size of the wire form in bytes. */
    public int sizeBytes() {
        return bytes.length;
    }

    /** Decoded values, name → float[] in order. */
    public Map<String, float[]> decode() {
        verify(bytes);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(headerLength());
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            float[] data = new float[Math.toIntExact(ParameterLayout.numel(shapes.get(i)))];
            for (int j = 0; j < data.length; j++) {
                data[j] = encoding.get(buf);
            }
            out.put(names.get(i), data);
        }
        return out;
    }

    private int headerLength() {
        int n = 4 + 8 + 1 + 4;
        for (int i = 0; i < names.size(); i++) {
            n += 4 + names.get(i).getBytes(StandardCharsets.UTF_8).length + 4 + 8 * shapes.get(i).length;
        }
        return n;
    }

    /**
     * Writes these weights into {@code target} in place. Fails, before touching anything, on a
     * checksum mismatch, a missing or extra tensor, or a shape mismatch (named, expected vs found).
     */
    public void applyTo(ParameterStore target) {
        verify(bytes);
        Map<String, long[]> want = target.shapes();
        if (!want.keySet().equals(new java.util.LinkedHashSet<>(names))) {
            throw new ModelFormatException("snapshot tensors " + names + " do not match the model's " + want.keySet());
        }
        for (int i = 0; i < names.size(); i++) {
            if (!Arrays.equals(want.get(names.get(i)), shapes.get(i))) {
                throw new ModelFormatException("snapshot tensor '" + names.get(i) + "' has shape "
                        + ParameterLayout.render(shapes.get(i)) + ", model expects " + ParameterLayout.render(want.get(names.get(i))));
            }
        }
        decode().forEach(target::copyInto);
    }
}
