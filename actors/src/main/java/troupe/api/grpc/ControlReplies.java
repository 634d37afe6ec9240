package troupe.api.grpc;

import troupe.api.ObjectiveInfo;
import troupe.api.RunState;
import troupe.api.RunStatus;
import troupe.api.ScorerState;
import troupe.api.WeightingState;
import troupe.proto.v1.RoleStatus;
import troupe.proto.v1.SetWeightingResponse;
import troupe.proto.v1.StatusResponse;

/** Domain answers of {@link troupe.api.RunControl} → Control responses. */
public final class ControlReplies {
    private ControlReplies() {}

    /** Also the dashboard's {@code /status}: one shape for the CLI, gRPC clients and the page. */
    public static StatusResponse status(RunStatus s) {
        StatusResponse.Builder b = StatusResponse.newBuilder()
                .setRunId(s.runId())
                .setState(state(s.state()))
                .setStep(s.step())
                .setTotalSteps(s.totalSteps())
                .setPolicyVersion(s.policyVersion())
                .setWeightingStrategy(s.weightingStrategy())
                .setLastCheckpoint(s.lastCheckpoint())
                .setUptimeSeconds(s.uptime().toMillis() / 1000.0)
                .setDetail(s.detail())
                .setReadiness(s.readiness().toProto());
        s.roles().forEach((role, nodes) -> b.addRoles(RoleStatus.newBuilder().setRole(role).addAllNodes(nodes)));
        return b.build();
    }

    static troupe.proto.v1.ObjectiveInfo objective(ObjectiveInfo o) {
        return troupe.proto.v1.ObjectiveInfo.newBuilder()
                .setSpec(RewardMapping.spec(o.objective()))
                .setWeight(o.weight())
                .setState(scorerState(o.state()))
                .setSource(o.source())
                .setFaults(o.faults())
                .setLastFault(o.lastFault())
                .build();
    }

    static SetWeightingResponse weighting(WeightingState w) {
        return SetWeightingResponse.newBuilder().setStrategy(w.strategy()).putAllWeights(w.weights()).build();
    }

    static troupe.proto.v1.RunState state(RunState s) {
        // Names match one to one (RunState mirrors the proto enum).
        return troupe.proto.v1.RunState.valueOf(s.name());
    }

    static troupe.proto.v1.ScorerState scorerState(ScorerState s) {
        return troupe.proto.v1.ScorerState.valueOf(s.name());
    }
}
