package troupe.core.rl;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import troupe.core.engine.WeightUpdate;
import troupe.core.model.snapshot.WeightSnapshot;

/**
 * Weight snapshots as versioned, checksummed chunk lists: the form weights take in actor
 * messages (chunks keep every message below the transport's frame size).
 */
public final class WeightUpdates {

    private WeightUpdates() {}

    /** Splits a snapshot into chunks of at most {@code chunkBytes}. */
    public static WeightUpdate of(WeightSnapshot snapshot, int chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1 byte, got " + chunkBytes);
        }
        byte[] wire = snapshot.toBytes();
        List<byte[]> chunks = new ArrayList<>(wire.length / chunkBytes + 1);
        for (int off = 0; off < wire.length; off += chunkBytes) {
            chunks.add(Arrays.copyOfRange(wire, off, Math.min(wire.length, off + chunkBytes)));
        }
        return WeightUpdate.of(snapshot.version(), chunks);
    }

    /**
     * Reassembles and verifies a snapshot: the chunk-list checksum, the snapshot's own checksum
     * and that the versions agree.
     */
    public static WeightSnapshot toSnapshot(WeightUpdate update) {
        if (!update.intact()) {
            throw new IllegalArgumentException("weight update v" + update.version() + " failed its chunk checksum");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE, update.totalBytes()));
        for (byte[] c : update.chunks()) {
            out.write(c, 0, c.length);
        }
        WeightSnapshot snapshot = WeightSnapshot.fromBytes(out.toByteArray());
        if (snapshot.version() != update.version()) {
            throw new IllegalArgumentException("weight update says v" + update.version() + " but carries v"
                    + snapshot.version());
        }
        return snapshot;
    }
}
