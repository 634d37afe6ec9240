package troupe.core.model.hf;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import troupe.core.data.JsonText;
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

    /**
     * One header entry, checked: a supported dtype, a non-negative shape, and a byte range
     * {@code [begin, end)} of the data section whose length is the shape's size in that dtype.
     */
    public record Entry(String dtype, long[] shape, long begin, long end) {
        /** Elements, at most {@link #MAX_ELEMENTS}. */
        public int count() {
            return (int) ((end - begin) / width(dtype));
        }
    }

    /** A Java array holds at most this many floats; a larger tensor cannot be loaded on the heap. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Reads a whole file; dtypes F32, BF16 and F16 become float32. */
    public static Contents read(Path file) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Entry> entries = header(file, metadata);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long dataStart = ch.size() - dataSize(ch, file);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                tensors.put(e.getKey(), readTensor(ch, file, e.getValue(), dataStart));
            }
            return new Contents(tensors, metadata);
        }
    }

    /** The checked header, tensor name → entry, in file order; reads no tensor data. */
    public static Map<String, Entry> header(Path file) throws IOException {
        return header(file, new LinkedHashMap<>());
    }

    /**
     * Everything the header claims is checked against the file before anything is allocated from
     * it: the header length against the file size (and the format's 100 MB limit), each range
     * within the data section and not overlapping another, so a lying header costs at most the
     * file's own size.
     */
    private static Map<String, Entry> header(Path file, Map<String, String> metadata) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("missing file " + file);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long dataSize = dataSize(ch, file);
            long n = ch.size() - 8 - dataSize;
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8, file);
            JsonObject header;
            try {
                header = JsonText.object(JsonText.utf8(hb.array()));
            } catch (JsonText.Problem p) {
                throw new ModelFormatException(file + ": header: " + p.getMessage());
            }
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals(METADATA)) {
                    readMetadata(file, e.getValue(), metadata);
                } else {
                    entries.put(e.getKey(), entry(file, e.getKey(), e.getValue(), dataSize));
                }
            }
            checkOverlaps(file, entries);
            return entries;
        }
    }

    /** Bytes after the header; fails when the 8-byte length is missing or does not fit the file. */
    private static long dataSize(FileChannel ch, Path file) throws IOException {
        if (ch.size() < 8) {
            throw new ModelFormatException(file + ": truncated safetensors file (" + ch.size()
                    + " bytes; it starts with an 8-byte header length)");
        }
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, len, 0, file);
        long n = len.flip().getLong();
        if (n <= 0 || n > MAX_HEADER || n > ch.size() - 8) {
            throw new ModelFormatException(file + ": bad safetensors header length " + n + " for a file of "
                    + ch.size() + " bytes" + (n > 0 && n <= MAX_HEADER ? " (truncated?)" : ""));
        }
        return ch.size() - 8 - n;
    }

    private static void readMetadata(Path file, JsonElement json, Map<String, String> metadata) {
        if (!json.isJsonObject()) {
            throw new ModelFormatException(file + ": header: " + METADATA + " must be an object of strings");
        }
        for (Map.Entry<String, JsonElement> m : json.getAsJsonObject().entrySet()) {
            if (!m.getValue().isJsonPrimitive() || !m.getValue().getAsJsonPrimitive().isString()) {
                throw new ModelFormatException(file + ": header: " + METADATA + "['" + m.getKey() + "'] must be a string");
            }
            metadata.put(m.getKey(), m.getValue().getAsString());
        }
    }

    private static Entry entry(Path file, String name, JsonElement json, long dataSize) {
        String where = file + ": tensor '" + name + "'";
        if (!json.isJsonObject()) {
            throw new ModelFormatException(where + ": expected {dtype, shape, data_offsets}, found " + json);
        }
        JsonObject info = json.getAsJsonObject();
        JsonElement dtypeJson = info.get("dtype");
        if (dtypeJson == null || !dtypeJson.isJsonPrimitive() || !dtypeJson.getAsJsonPrimitive().isString()) {
            throw new ModelFormatException(where + ": 'dtype' must be a string");
        }
        String dtype = dtypeJson.getAsString();
        if (width(dtype) == 0) {
            throw new ModelFormatException(where + " has unsupported dtype " + dtype + "; supported: F32, BF16, F16");
        }
        long[] shape = longs(info.get("shape"), -1, where + ": 'shape' must be a list of sizes >= 0");
        long[] off = longs(info.get("data_offsets"), 2, where + ": 'data_offsets' must be [begin, end] with 0 <= begin");
        long count;
        try {
            count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
        } catch (ArithmeticException e) {
            count = Long.MAX_VALUE;
        }
        if (count > MAX_ELEMENTS) {
            throw new ModelFormatException(where + " has shape " + ParameterLayout.render(shape)
                    + ", more elements than a Java array holds");
        }
        long begin = off[0];
        long end = off[1];
        if (end < begin || end - begin != count * width(dtype) || end > dataSize) {
            throw new ModelFormatException(where + " spans bytes [" + begin + ", " + end + "), expected "
                    + count * width(dtype) + " bytes for " + dtype + ParameterLayout.render(shape)
                    + " within the data section of " + dataSize + " bytes");
        }
        return new Entry(dtype, shape, begin, end);
    }

    /** Non-negative integers; {@code size} -1 accepts any length. */
    private static long[] longs(JsonElement json, int size, String problem) {
        if (json == null || !json.isJsonArray() || (size >= 0 && json.getAsJsonArray().size() != size)) {
            throw new ModelFormatException(problem);
        }
        JsonArray a = json.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement v = a.get(i);
            try {
                out[i] = v.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            } catch (RuntimeException e) {
                throw new ModelFormatException(problem + ", found " + json);
            }
            if (out[i] < 0) {
                throw new ModelFormatException(problem + ", found " + json);
            }
        }
        return out;
    }

    private static void checkOverlaps(Path file, Map<String, Entry> entries) {
        List<Map.Entry<String, Entry>> byBegin = new ArrayList<>(entries.entrySet());
        byBegin.sort(Comparator.comparingLong(e -> e.getValue().begin()));
        for (int i = 1; i < byBegin.size(); i++) {
            Map.Entry<String, Entry> prev = byBegin.get(i - 1);
            Map.Entry<String, Entry> next = byBegin.get(i);
            if (next.getValue().begin() < prev.getValue().end()) {
                throw new ModelFormatException(file + ": tensors '" + prev.getKey() + "' and '" + next.getKey()
                        + "' overlap in the data section");
            }
        }
    }

    /** Bytes per element, 0 for a dtype Troupe does not read. */
    private static int width(String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "BF16", "F16" -> 2;
            default -> 0;
        };
    }

    private static Tensor readTensor(FileChannel ch, Path file, Entry entry, long dataStart) throws IOException {
        ByteBuffer raw = ByteBuffer.allocate((int) (entry.end() - entry.begin())).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, raw, dataStart + entry.begin(), file);
        raw.flip();
        float[] data = new float[entry.count()];
        switch (entry.dtype()) {
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
        return new Tensor(entry.shape(), data);
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
