package troupe.api.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import troupe.api.HostPort;
import troupe.api.RemoteScorerSpec;
import troupe.core.reward.Direction;

/** examples/python-reward end to end: stubs generated from proto/, the scorer started, scored from Java. */
class PythonRewardExampleTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path EXAMPLE = Path.of("..", "examples", "python-reward").toAbsolutePath().normalize();

    @TempDir
    Path stubs;

    @Test
    @Timeout(60)
    void pythonScorerServesScoresToRemoteRewardScorer() throws Exception {
        assumeTrue(pythonHasGrpc(), "python3-grpcio / python3-grpc-tools are not installed");
        run(List.of("bash", EXAMPLE.resolve("generate.sh").toString(), stubs.toString()));
        assertTrue(Files.exists(stubs.resolve("troupe/v1/reward_pb2_grpc.py")));

        ProcessBuilder pb = new ProcessBuilder(PYTHON, EXAMPLE.resolve("polite_scorer.py").toString(), "--port", "0")
                .redirectErrorStream(true);
        pb.environment().put("TROUPE_STUBS", stubs.toString());
        Process scorer = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(scorer.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("listening on "), "scorer printed: " + line);
            HostPort target = HostPort.parse(line.substring("listening on ".length()).trim());
            RemoteScorerSettings settings = new RemoteScorerSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), 3,
                    Duration.ofMillis(100), Duration.ofSeconds(1), 0.1);
            try (RemoteRewardScorer remote = RemoteRewardScorer.connect(RemoteScorerSpec.of(target), settings, "py-run")) {
                assertEquals("polite", remote.objective().name());
                assertEquals(Direction.MAXIMIZE, remote.objective().direction());
                assertEquals("polite-1", remote.version());
                float[] scores = remote.score(List.of(
                        RemoteRewardScorerTest.input("Thank you! Could you please add 2 and 2?"),
                        RemoteRewardScorerTest.input("4"),
                        RemoteRewardScorerTest.input("sorry sorry sorry sorry, please")));
                assertArrayEquals(new float[] {2, 0, 3}, scores);
            }
        } finally {
            scorer.destroy(); // SIGTERM: the example stops gracefully
            assertTrue(scorer.waitFor(10, TimeUnit.SECONDS), "scorer exits on SIGTERM");
        }
    }

    private static boolean pythonHasGrpc() throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON, "-c", "import grpc, grpc_tools.protoc, google.protobuf")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + " failed:\n" + out);
    }
}
