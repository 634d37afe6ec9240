package troupe.core.model.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.model.ModelFormatException;

/** A header is outside data: every claim it makes is checked before anything is allocated from it. */
class SafetensorsHeaderTest {

    @TempDir
    Path dir;

    private Path file(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path f = dir.resolve("w.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private String problem(String header, int dataBytes) throws IOException {
        Path f = file(header, dataBytes);
        return assertThrows(ModelFormatException.class, () -> Safetensors.read(f)).getMessage()
                .replace(f.toString(), "F");
    }

    @Test
    void headerOnlyReadGivesShapesDtypesAndRanges() throws IOException {
        Map<String, Safetensors.Entry> h = Safetensors.header(file(
                "{\"__metadata__\": {\"format\": \"pt\"}, \"w\": {\"dtype\": \"BF16\", \"shape\": [2, 3], "
                        + "\"data_offsets\": [0, 12]}}", 12));
        assertEquals(1, h.size());
        assertEquals("BF16", h.get("w").dtype());
        assertArrayEquals(new long[] {2, 3}, h.get("w").shape());
        assertEquals(6, h.get("w").count());
    }

    @Test
    void rangeBeyondTheDataSectionIsRefusedBeforeAllocating() throws IOException {
        assertEquals("F: tensor 'w' spans bytes [0, 4000000000), expected 4000000000 bytes for F32[1000000000] "
                + "within the data section of 8 bytes",
                problem("{\"w\": {\"dtype\": \"F32\", \"shape\": [1000000000], \"data_offsets\": [0, 4000000000]}}", 8));
    }

    @Test
    void shapeWhoseProductOverflowsIsRefused() throws IOException {
        assertEquals("F: tensor 'w' has shape [4294967296, 4294967296, 4294967296], more elements than a Java array "
                + "holds", problem("{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4294967296], "
                + "\"data_offsets\": [0, 0]}}", 0));
    }

    @Test
    void malformedEntriesNameTheTensorAndField() throws IOException {
        assertEquals("F: tensor 'w': 'shape' must be a list of sizes >= 0, found [-1]",
                problem("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4));
        assertEquals("F: tensor 'w': 'data_offsets' must be [begin, end] with 0 <= begin",
                problem("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4]}}", 4));
        assertEquals("F: tensor 'w': 'dtype' must be a string",
                problem("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4));
        assertEquals("F: tensor 'w': expected {dtype, shape, data_offsets}, found 3", problem("{\"w\": 3}", 0));
        assertEquals("F: header: __metadata__['k'] must be a string", problem("{\"__metadata__\": {\"k\": 1}}", 0));
    }

    @Test
    void headerLengthLargerThanTheFileIsNamed() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array());
        String m = assertThrows(ModelFormatException.class, () -> Safetensors.header(f)).getMessage();
        assertEquals(f + ": bad safetensors header length 100 for a file of 12 bytes (truncated?)", m);
    }
}
