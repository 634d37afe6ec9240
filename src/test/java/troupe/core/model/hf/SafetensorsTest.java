package troupe.core.model.hf;

import troupe.core.checkpoint.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.model.ModelFormatException;

class SafetensorsTest {

    @TempDir
    Path dir;

    @Test
    void saveThenLoadIsBitExact() throws IOException {
        float[] special = {0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY, 1e-40f, 3.14159f};
        float[] random = new float[1000];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < random.length; i++) {
            random[i] = Float.intBitsToFloat(r.nextInt());
        }
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>();
        in.put("a.weight", new Safetensors.Tensor(new long[] {2, 4}, special));
        in.put("b", new Safetensors.Tensor(new long[] {10, 10, 10}, random));
        Path f = dir.resolve("x.safetensors");
        AtomicFiles.write(f, out -> Safetensors.write(out, in, Map.of("step", "7")));
        Safetensors.Contents got = Safetensors.read(f);
        assertEquals(in.keySet(), got.tensors().keySet());
        for (String k : in.keySet()) {
            assertArrayEquals(in.get(k).shape(), got.tensors().get(k).shape());
            float[] a = in.get(k).data();
            float[] b = got.tensors().get(k).data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), k + "[" + i + "]");
            }
        }
        assertEquals("7", got.metadata().get("step"));
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header is padded to 8 bytes like HF's writer");
    }

    @Test
    void readsHalfPrecisionAsFloat() throws IOException {
        float[] values = {1f, -2.5f, 0.099975586f, 65504f};
        ByteBuffer bf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer hf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bf.putShort(HalfFloats.floatToBf16(v));
            hf.putShort(HalfFloats.floatToF16(v));
        }
        Path f = rawFile("{\"x\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"y\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[8,16]}}", bf.array(), hf.array());
        Safetensors.Contents c = Safetensors.read(f);
        assertArrayEquals(new float[] {1f, -2.5f, 0.10009765625f, 65536f}, c.tensors().get("x").data());
        assertArrayEquals(values, c.tensors().get("y").data());
    }

    @Test
    void unsupportedDtypeNamesTheTensor() throws IOException {
        Path f = rawFile("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("'ids'") && e.getMessage().contains("I64"), e.getMessage());
    }

    @Test
    void missingFileIsAClearError() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("missing file"), e.getMessage());
    }

    private Path rawFile(String header, byte[]... data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        for (byte[] d : data) {
            out.write(d);
        }
        Path f = dir.resolve("raw.safetensors");
        Files.write(f, out.toByteArray());
        return f;
    }
}
