package troupe.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.api.HostPort;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LearnerStreamGrpc;
import troupe.proto.v1.WatchRequest;

/** {@code troupe watch}: a terminal subscriber of a run's LearnerStream, one table row per step. */
@Command(name = "watch", description = {
    "Print a live table of a run's learner events.",
    "One row per step: per-objective raw means and weights, KL, entropy, reward,",
    "samples/s and the events this subscriber missed by reading too slowly.",
    "Exit status: 0 when the run's stream ends, 1 when the server cannot be",
    "reached, 2 for bad arguments."})
final class WatchCommand implements Callable<Integer> {
    static final int EXIT_UNREACHABLE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunTarget run;

    @Option(names = "--replay", defaultValue = "0", paramLabel = "N",
            description = "first print up to N recent events the server kept (default: ${DEFAULT-VALUE})")
    long replay;

    @Option(names = "--count", defaultValue = "0", paramLabel = "N",
            description = "exit after N events; 0 = until the run ends (default: ${DEFAULT-VALUE})")
    long count;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<HostPort> parsed = run.address(err);
        if (parsed.isEmpty()) {
            return Main.EXIT_USAGE;
        }
        HostPort address = parsed.get();
        if (replay < 0 || replay > 0xFFFF_FFFFL || count < 0) {
            err.println("error: --replay and --count must be >= 0");
            return Main.EXIT_USAGE;
        }
        ManagedChannel channel = run.channel(address);
        try {
            Iterator<LearnerEvent> events = LearnerStreamGrpc.newBlockingStub(channel)
                    .watch(WatchRequest.newBuilder().setReplayLast((int) replay).build());
            WatchTable table = new WatchTable(out);
            long seen = 0;
            while ((count == 0 || seen < count) && events.hasNext()) {
                table.print(events.next());
                out.flush();
                seen++;
            }
            return 0;
        } catch (StatusRuntimeException e) {
            err.println("error: watch: " + CallFailure.describe(address, e));
            return EXIT_UNREACHABLE;
        } finally {
            // Cancels the stream when we stop early (--count): the server drops the subscription.
            channel.shutdownNow();
        }
    }
}
