package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import troupe.api.FakeRunControl;
import troupe.api.LearnerEventHub;
import troupe.api.RunState;
import troupe.api.grpc.TroupeGrpcServer;

/** `troupe control` against a real Control server on a loopback port. */
class ControlCommandTest {
    FakeRunControl control;
    TroupeGrpcServer server;

    @BeforeEach
    void start() throws Exception {
        control = new FakeRunControl();
        server = new TroupeGrpcServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                new LearnerEventHub(4, 4), control, "s3cret").start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRunner control(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "control";
        all[1] = "--target";
        all[2] = "127.0.0.1:" + server.port();
        all[3] = "--token";
        all[4] = "s3cret";
        System.arraycopy(args, 0, all, 5, args.length);
        return CliRunner.run(all);
    }

    @Test
    void pausesAndReportsStatusAsJson() {
        CliRunner r = control("pause");
        assertEquals(0, r.status(), r.err());
        assertEquals(RunState.PAUSED, control.state);
        CliRunner s = control("status");
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().contains("\"state\": \"PAUSED\""), s.out());
    }

    @Test
    void setsFixedWeightsFromNameValuePairs() {
        CliRunner r = control("weighting", "correct=0.7", "length=0.3");
        assertEquals(0, r.status(), r.err());
        assertTrue(control.calls.toString().contains("correct=0.7"), control.calls.toString());
    }

    @Test
    void wrongTokenIsRefusedAndBadArgumentsExitTwo() {
        CliRunner wrong = CliRunner.run("control", "--target", "127.0.0.1:" + server.port(), "--token", "nope",
                "status");
        assertEquals(1, wrong.status());
        assertTrue(wrong.err().contains("UNAUTHENTICATED"), wrong.err());
        CliRunner bad = control("frobnicate");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("unknown action 'frobnicate'"), bad.err());
    }
}
