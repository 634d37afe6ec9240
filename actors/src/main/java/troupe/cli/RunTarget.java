package troupe.cli;

import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import troupe.api.HostPort;
import troupe.api.grpc.GrpcTransport;

/** The running job's gRPC address and TLS trust: the options of every command that talks to a run. */
final class RunTarget {

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT",
            description = "the run's gRPC address (troupe.grpc.host:port)")
    String target;

    @Option(names = "--ca", paramLabel = "PEM", description = "use TLS, trusting these certificates")
    Path ca;

    /** The parsed {@code --target}; empty after printing a one-line error naming the flag. */
    Optional<HostPort> address(PrintWriter err) {
        try {
            return Optional.of(HostPort.parse(target));
        } catch (IllegalArgumentException e) {
            err.println("error: --target: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** A channel to {@code address}, over TLS when {@code --ca} is given; the caller shuts it down. */
    ManagedChannel channel(HostPort address) {
        return GrpcTransport.channel(address, Optional.ofNullable(ca));
    }
}
