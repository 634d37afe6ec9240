package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import troupe.api.HostPort;
import troupe.api.RemoteScorerSpec;
import troupe.api.remote.RemoteRewardScorer;
import troupe.api.remote.RemoteScorerSettings;
import troupe.core.reward.ScoreInput;

class RewardServerCommandTest {

    @Test
    void unknownScorerExitsTwoListingTheRegisteredOnes() {
        CliRunner r = CliRunner.run("reward-server", "--scorer", "nope", "--port", "0");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("unknown scorer 'nope'; registered: "), r.err());
        assertTrue(r.err().contains("test-length") && r.err().contains("task-verifier"), r.err());
    }

    @Test
    @Timeout(30)
    void servesARegisteredScorerUntilStopped() throws Exception {
        StringWriter out = new StringWriter();
        AtomicInteger status = new AtomicInteger(-1);
        Thread t = new Thread(() -> status.set(Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "reward-server", "--scorer", "test-length", "--host", "127.0.0.1", "--port", "0")));
        t.start();
        Pattern listening = Pattern.compile("listening on (\\S+)");
        Matcher m = listening.matcher("");
        while (!m.find()) {
            Thread.sleep(20);
            m = listening.matcher(out.toString());
        }
        assertTrue(out.toString().contains("objective test-length (minimize)"), out.toString());
        RemoteScorerSettings settings = new RemoteScorerSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), 2,
                Duration.ofMillis(50), Duration.ofMillis(100), 0.1);
        try (RemoteRewardScorer remote = RemoteRewardScorer.connect(RemoteScorerSpec.of(HostPort.parse(m.group(1))), settings, "r")) {
            float[] scores = remote.score(List.of(
                    new ScoreInput("p", "four", new int[0], new int[0], "", Map.of(), false),
                    new ScoreInput("p", "twelve chars", new int[0], new int[0], "", Map.of(), false)));
            assertArrayEquals(new float[] {4, 12}, scores);
            assertTrue(remote.version().startsWith("troupe "), remote.version());
        }
        t.interrupt();
        t.join(10_000);
        assertEquals(0, status.get());
    }
}
