package troupe.core.engine;

import java.util.List;
import java.util.zip.CRC32C;

/**
 * Policy weights at one version, as an opaque payload the learner produces and generators load.
 * The encoding inside the chunks (e.g. safetensors, full or delta) belongs to the model package;
 * the actor layer only moves, orders and verifies it. Chunked so a transport can stream it
 * without one giant message.
 *
 * @param version policy version these weights are, ≥ 0; increases by one per learner step
 * @param chunks the payload, in order; not copied (callers must not mutate them)
 * @param checksum CRC32C over every chunk in order (see {@link #checksumOf})
 */
public record WeightUpdate(long version, List<byte[]> chunks, long checksum) {

    public WeightUpdate {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
        chunks = List.copyOf(chunks);
    }

    /** An update whose checksum is computed from its chunks. */
    public static WeightUpdate of(long version, List<byte[]> chunks) {
        return new WeightUpdate(version, chunks, checksumOf(chunks));
    }

    /** CRC32C over the chunks in order: cheap (hardware-accelerated) and catches truncation and reordering. */
    public static long checksumOf(List<byte[]> chunks) {
        CRC32C crc = new CRC32C();
        for (byte[] c : chunks) {
            crc.update(c, 0, c.length);
        }
        return crc.getValue();
    }

    /** True when the chunks still match the checksum. */
    public boolean intact() {
        return checksumOf(chunks) == checksum;
    }

    public long totalBytes() {
        long n = 0;
        for (byte[] c : chunks) {
            n += c.length;
        }
        return n;
    }
}
