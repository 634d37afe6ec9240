package troupe.api;

/**
 * A network address written {@code host:port} ({@code [v6addr]:port} for IPv6 literals).
 *
 * @param host name or address literal, without brackets
 * @param port 1..65535
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("must be host:port, host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("must be host:port with port in 1..65535, got " + port);
        }
    }

    /** Parses {@code host:port}; the message of a failure is written to follow a field name. */
    public static HostPort parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("must be host:port, got nothing");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("must be host:port, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("must be host:port (IPv6 in brackets), got '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be host:port, got '" + text + "'");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
