package troupe.cluster.bulk;

/**
 * A handle to one object held by a node's {@link BulkChannel}: where to fetch it and under which
 * id. Ids are random 64-bit numbers, so a handle cannot be guessed from another; fetching it
 * once removes the object.
 */
public record BulkRef(String host, int port, long id) {
    @Override
    public String toString() {
        return host + ":" + port + "#" + Long.toHexString(id);
    }
}
