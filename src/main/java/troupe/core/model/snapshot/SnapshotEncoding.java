package troupe.core.model.snapshot;

import troupe.core.model.hf.HalfFloats;

/** How a snapshot stores each float: fp32 is exact; bf16/fp16 halve the wire size (lossy). */
public enum SnapshotEncoding {
    F32(4), BF16(2), F16(2);

    private final int bytes;

    SnapshotEncoding(int bytes) {
        this.bytes = bytes;
    }

    public int bytesPerValue() {
        return bytes;
    }

    void put(java.nio.ByteBuffer out, float v) {
        switch (this) {
            case F32 -> out.putFloat(v);
            case BF16 -> out.putShort(HalfFloats.floatToBf16(v));
            case F16 -> out.putShort(HalfFloats.floatToF16(v));
        }
    }

    float get(java.nio.ByteBuffer in) {
        return switch (this) {
            case F32 -> in.getFloat();
            case BF16 -> HalfFloats.bf16ToFloat(in.getShort());
            case F16 -> HalfFloats.f16ToFloat(in.getShort());
        };
    }
}
