package troupe.cli;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import troupe.api.HostPort;
import troupe.api.grpc.BearerToken;
import troupe.proto.v1.AddRemoteScorerRequest;
import troupe.proto.v1.CheckpointRequest;
import troupe.proto.v1.ControlGrpc;
import troupe.proto.v1.Direction;
import troupe.proto.v1.FixedWeights;
import troupe.proto.v1.ListObjectivesRequest;
import troupe.proto.v1.PauseRequest;
import troupe.proto.v1.RemoveScorerRequest;
import troupe.proto.v1.ResumeRequest;
import troupe.proto.v1.SetWeightingRequest;
import troupe.proto.v1.StatusRequest;
import troupe.proto.v1.StopRequest;

/**
 * {@code troupe control ACTION}: steer a running job over its gRPC Control service and print the
 * reply as JSON. The token comes from {@code --token} or {@code TROUPE_TOKEN}.
 */
@Command(name = "control", description = {
    "Steer a running job: status, objectives, pause, resume, checkpoint, stop,",
    "add-scorer HOST:PORT, remove-scorer NAME, weighting STRATEGY | NAME=W ...",
    "Prints the reply as JSON. Exit 0 on success, 1 when the call fails, 2 for bad arguments."})
final class ControlCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunTarget run;

    @Option(names = "--token", description = "bearer token (default: env TROUPE_TOKEN)")
    String token;

    @Option(names = "--name", description = "add-scorer: objective name (default: what the scorer describes)")
    String name;

    @Option(names = "--minimize", description = "add-scorer: smaller scores are better")
    boolean minimize;

    @Option(names = "--deadline-ms", defaultValue = "0", description = "add-scorer: per-call deadline (0 = default)")
    int deadlineMillis;

    @Option(names = "--initial-weight", defaultValue = "0",
            description = "add-scorer: the new objective's starting share of the weights, [0, 1) (0 = default)")
    double initialWeight;

    @Option(names = "--no-checkpoint", description = "stop: skip the final checkpoint")
    boolean noCheckpoint;

    @Parameters(index = "0", paramLabel = "ACTION") String action;

    @Parameters(index = "1..*", paramLabel = "ARG") java.util.List<String> args = java.util.List.of();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String secret = token != null ? token : System.getenv().getOrDefault("TROUPE_TOKEN", "");
        Function<ControlGrpc.ControlBlockingStub, Message> call;
        Optional<HostPort> parsed = run.address(err);
        if (parsed.isEmpty()) {
            return Main.EXIT_USAGE;
        }
        HostPort address = parsed.get();
        try {
            call = request();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        ManagedChannel channel = run.channel(address);
        try {
            ControlGrpc.ControlBlockingStub stub = ControlGrpc.newBlockingStub(channel)
                    .withCallCredentials(new BearerToken(secret)).withDeadlineAfter(5, TimeUnit.MINUTES);
            out.println(JsonFormat.printer().print(call.apply(stub)));
            return 0;
        } catch (StatusRuntimeException e) {
            err.println("error: control " + action + ": " + CallFailure.describe(address, e));
            return 1;
        } finally {
            channel.shutdownNow();
        }
    }

    private Function<ControlGrpc.ControlBlockingStub, Message> request() {
        return switch (action) {
            case "status" -> s -> s.status(StatusRequest.getDefaultInstance());
            case "objectives" -> s -> s.listObjectives(ListObjectivesRequest.getDefaultInstance());
            case "pause" -> s -> s.pause(PauseRequest.getDefaultInstance());
            case "resume" -> s -> s.resume(ResumeRequest.getDefaultInstance());
            case "checkpoint" -> s -> s.checkpoint(CheckpointRequest.getDefaultInstance());
            case "stop" -> s -> s.stop(StopRequest.newBuilder().setCheckpoint(!noCheckpoint).build());
            case "add-scorer" -> {
                String scorer = single("add-scorer needs HOST:PORT of a RewardService");
                AddRemoteScorerRequest.Builder b = AddRemoteScorerRequest.newBuilder().setTarget(scorer)
                        .setDeadlineMillis(deadlineMillis).setInitialWeight(initialWeight);
                if (name != null) {
                    b.setName(name);
                }
                if (minimize) {
                    b.setDirection(Direction.MINIMIZE);
                }
                yield s -> s.addRemoteScorer(b.build());
            }
            case "remove-scorer" -> {
                String objective = single("remove-scorer needs an objective name");
                yield s -> s.removeScorer(RemoveScorerRequest.newBuilder().setName(objective).build());
            }
            case "weighting" -> {
                SetWeightingRequest request = weighting();
                yield s -> s.setWeighting(request);
            }
            default -> throw new IllegalArgumentException("unknown action '" + action + "'; one of status, "
                    + "objectives, pause, resume, checkpoint, stop, add-scorer, remove-scorer, weighting");
        };
    }

    private String single(String usage) {
        if (args.size() != 1) {
            throw new IllegalArgumentException(usage);
        }
        return args.get(0);
    }

    /** {@code weighting hypervolume} or {@code weighting correctness=0.7 brevity=0.3}. */
    private SetWeightingRequest weighting() {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("weighting needs a strategy name or NAME=WEIGHT pairs");
        }
        if (args.size() == 1 && !args.get(0).contains("=")) {
            return SetWeightingRequest.newBuilder().setStrategy(args.get(0)).build();
        }
        FixedWeights.Builder w = FixedWeights.newBuilder();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            try {
                w.putWeights(kv[0], Double.parseDouble(kv[1]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("weighting: '" + a + "' is not NAME=WEIGHT");
            }
        }
        return SetWeightingRequest.newBuilder().setFixed(w).build();
    }
}
