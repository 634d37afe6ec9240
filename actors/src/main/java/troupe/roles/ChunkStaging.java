package troupe.roles;

import java.util.List;
import java.util.Optional;
import troupe.core.engine.WeightUpdate;

/**
 * The chunks of the one weight snapshot a generator is receiving over Artery
 * ({@link Generator.LoadWeightChunk}), until all are in. A chunk of another version, count or
 * learner incarnation starts over: a newer snapshot supersedes a half-received older one.
 */
final class ChunkStaging {
    private byte[][] staged;
    private long incarnation;
    private long version = -1;
    private int received;

    /** Stages {@code msg}'s chunk; returns the whole update (checksum not yet checked) once every chunk is in. */
    Optional<WeightUpdate> add(Generator.LoadWeightChunk msg) {
        if (staged == null || msg.version() != version || staged.length != msg.count()
                || msg.incarnation() != incarnation) {
            staged = new byte[msg.count()][];
            incarnation = msg.incarnation();
            version = msg.version();
            received = 0;
        }
        if (staged[msg.index()] == null) {
            received++; // a re-sent chunk is stored again but counted once
        }
        staged[msg.index()] = msg.data();
        if (received < staged.length) {
            return Optional.empty();
        }
        WeightUpdate update = new WeightUpdate(version, List.of(staged), msg.checksum());
        staged = null;
        return Optional.of(update);
    }
}
