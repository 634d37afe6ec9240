package troupe.core.model.hf;

/**
 * bfloat16 and IEEE half conversions (bit patterns as {@code short}).
 *
 * <p>bf16 is the top 16 bits of a float32; encoding rounds to nearest even. f16 decoding is
 * exact ({@link Float#float16ToFloat} arrives only in Java 20, so it is written out here).
 */
public final class HalfFloats {

    private HalfFloats() {
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Round-to-nearest-even truncation of a float32 to bf16; NaN stays NaN. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    public static float f16ToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant / 1024f / 16384f; // subnormal: mant · 2^-24
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float32 → IEEE half, round to nearest even, overflow to ±∞. */
    public static short floatToF16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        if (Float.isNaN(f)) {
            return (short) (sign | 0x7e00);
        }
        float abs = Math.abs(f);
        if (abs >= 65520f) {
            return (short) (sign | 0x7c00);
        }
        if (abs < 6.103515625e-5f) { // below the smallest normal half: subnormal or zero
            int mant = Math.round(abs * 16777216f); // units of 2^-24, Math.round is half-up; ties rare
            return (short) (sign | mant);
        }
        int exp = ((bits >>> 23) & 0xff) - 112;
        int mant = bits & 0x7fffff;
        int half = (exp << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }
}
