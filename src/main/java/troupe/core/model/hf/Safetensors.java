package troupe.core.model.hf;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import troupe.core.model.ModelFormatException;
import troupe.core.model.ParameterLayout;

/**
 * A small reader/writer for the safetensors format (huggingface/safetensors): an 8-byte
 * little-endian header length N, N bytes of JSON {@code {name: {dtype, shape, data_offsets}}}
 * (plus an optional {@code __metadata__} string map), then the raw little-endian tensor bytes.
 *
 * <p>Writes F32 only, bit-exact. Reads F32, and BF16/F16 converted to F32; any other dtype fails
 * naming the tensor. The header is space-padded to a multiple of 8 bytes, as HF's writer does.
 */
public final class Safetensors {

    /** Header key holding free-form string metadata. */
    public static final String METADATA = "__metadata__";
    /** Refuse headers larger than this (the format's own limit is 100 MB). */
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /** One tensor as float32 host data with its shape. */
    public record Tensor(long[] shape, float[] data) {
    }

    /** A file's tensors in header order and its metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /** Reads a whole file; dtypes F32, BF16 and F16 become float32. */
    public static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("missing file " + file);
        }
        return HfFolder.parsing(file, () -> readChecked(file));
    }

    private static Contents readChecked(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file);
            long n = len.flip().getLong();
            if (n <= 0 || n > MAX_HEADER || 8 + n > ch.size()) {
                throw new ModelFormatException(file + ": bad safetensors header length " + n);
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8, file);
            JsonObject header = JsonParser.parseString(new String(hb.array(), StandardCharsets.UTF_8)).getAsJsonObject();
            long dataStart = 8 + n;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals(METADATA)) {
                    e.getValue().getAsJsonObject().entrySet().forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
                    continue;
                }
                tensors.put(e.getKey(), readTensor(ch, file, e.getKey(), e.getValue().getAsJsonObject(), dataStart));
            }
            return new Contents(tensors, metadata);
        }
    }

    private static Tensor readTensor(FileChannel ch, Path file, String name, JsonObject info, long dataStart)
            throws IOException {
        String dtype = info.get("dtype").getAsString();
        JsonArray shapeJson = info.getAsJsonArray("shape");
        long[] shape = new long[shapeJson.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeJson.get(i).getAsLong();
        }
        JsonArray off = info.getAsJsonArray("data_offsets");
        long begin = off.get(0).getAsLong();
        long end = off.get(1).getAsLong();
        int width = switch (dtype) {
            case "F32" -> 4;
            case "BF16", "F16" -> 2;
            default -> throw new ModelFormatException(file + ": tensor '" + name + "' has unsupported dtype " + dtype
                    + "; supported: F32, BF16, F16");
        };
        long count = ParameterLayout.numel(shape);
        if (end - begin != count * width || dataStart + end > ch.size()) {
            throw new ModelFormatException(file + ": tensor '" + name + "' spans " + (end - begin) + " bytes, expected "
                    + count * width + " for " + dtype + ParameterLayout.render(shape));
        }
        ByteBuffer raw = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, raw, dataStart + begin, file);
        raw.flip();
        float[] data = new float[(int) count];
        switch (dtype) {
            case "F32" -> raw.asFloatBuffer().get(data);
            case "BF16" -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = HalfFloats.bf16ToFloat(raw.getShort());
                }
            }
            default -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = HalfFloats.f16ToFloat(raw.getShort());
                }
            }
        }
        return new Tensor(shape, data);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) {
                throw new ModelFormatException(file + ": truncated safetensors file");
            }
        }
    }

    /** Writes float32 tensors in map order with optional metadata to {@code out} (not closed). */
    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add(METADATA, meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (ParameterLayout.numel(t.shape()) != t.data().length) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has " + t.data().length
                        + " values for shape " + ParameterLayout.render(t.shape()));
            }
            JsonObject info = new JsonObject();
            info.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long s : t.shape()) {
                shape.add(s);
            }
            info.add("shape", shape);
            JsonArray off = new JsonArray();
            off.add(offset);
            offset += 4L * t.data().length;
            off.add(offset);
            info.add("data_offsets", off);
            header.add(e.getKey(), info);
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        out.write(head.array());
        for (Tensor t : tensors.values()) {
            ByteBuffer bb = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(t.data());
            out.write(bb.array());
        }
    }
}
