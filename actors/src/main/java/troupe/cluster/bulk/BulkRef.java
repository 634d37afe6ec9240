package troupe.cluster.bulk;

/**
 * A handle to one object held by a node's {@link BulkChannel}: where to fetch it, under which
 * id, and the token a fetch must present. Id and token are random 64-bit numbers, so a handle
 * cannot be guessed from another; the token is left out of {@link #toString} (logs name the
 * id), so a log line is not a capability. Fetching it once removes the object.
 */
public record BulkRef(String host, int port, long id, long token) {
    @Override
    public String toString() {
        return host + ":" + port + "#" + Long.toHexString(id);
    }
}
