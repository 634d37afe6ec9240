package troupe.api.grpc;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import troupe.api.LearnerEventHub;
import troupe.api.RunControl;
import troupe.proto.v1.ControlGrpc;

/** A TroupeGrpcServer on an in-process transport and a channel to it. */
final class InProcessTroupe implements AutoCloseable {
    static final String TOKEN = "s3cret-token";

    final TroupeGrpcServer server;
    final ManagedChannel channel;

    InProcessTroupe(LearnerEventHub hub, RunControl control) throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = new TroupeGrpcServer(InProcessServerBuilder.forName(name).directExecutor(), hub, control, TOKEN).start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    ControlGrpc.ControlBlockingStub control() {
        return ControlGrpc.newBlockingStub(channel).withCallCredentials(new BearerToken(TOKEN));
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.close();
    }
}
