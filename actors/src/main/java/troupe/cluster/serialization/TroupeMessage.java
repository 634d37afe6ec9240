package troupe.cluster.serialization;

/**
 * Marker for actor messages that may cross nodes. Bound to {@link KryoSerializer} in
 * reference.conf; every concrete class must also be listed in
 * {@code troupe.serialization.kryo-classes} (explicit registration, fixed ids).
 */
public interface TroupeMessage {}
