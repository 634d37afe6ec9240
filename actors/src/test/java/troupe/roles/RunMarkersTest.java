package troupe.roles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.events.SampleChooser;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.RunMarker;
import troupe.proto.v1.SampleResponse;
import troupe.testing.CountingLearnerEngine;
import troupe.testing.FixedRolloutEngine;

/** The learner's events carry what happened between steps, and the sample responses of their batch. */
class RunMarkersTest {
    static ActorTestKit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kit = RoleTestKit.startCluster();
        kit.spawn(Generator.create(new FixedRolloutEngine()), "generator", DispatcherSelector.blocking());
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private final TestProbe<Learner.Permit> permits = kit.createTestProbe();
    private final TestProbe<Learner.BatchHandled> acks = kit.createTestProbe();
    private final TestProbe<Learner.Finished> finished = kit.createTestProbe();
    private final LinkedBlockingQueue<LearnerEvent> events = new LinkedBlockingQueue<>();

    private LearnerEvent train(ActorRef<Learner.Command> l, long batch, String... objectives) throws Exception {
        l.tell(new Learner.Train(RoleTestKit.trainable(batch, batch - 1, objectives), acks.ref()));
        acks.receiveMessage();
        LearnerEvent e = events.poll(5, TimeUnit.SECONDS);
        assertTrue(e != null, "no event for batch " + batch);
        return e;
    }

    private static List<String> described(LearnerEvent e) {
        return e.getMarkersList().stream().map(m -> m.getKind() + "@" + m.getStep() + " " + m.getDetail()).toList();
    }

    @Test
    void pauseResumeWeightingCheckpointAndScorersAreMarkedOnTheNextEvent() throws Exception {
        LearnerRunSettings s = new LearnerRunSettings("test", 10, 0, Duration.ofSeconds(5), 0, false,
                dir.resolve("checkpoints")).withSamples(new SampleChooser.Settings(2, 50));
        ActorRef<Learner.Command> l = kit.spawn(Learner.create(new CountingLearnerEngine(), s, permits.ref(),
                events::add, finished.ref()), "learner", DispatcherSelector.blocking());
        l.tell(new Learner.StreamStarted(acks.ref()));
        acks.receiveMessage();
        permits.expectMessageClass(Learner.PermitGranted.class);

        LearnerEvent first = train(l, 1, "len");
        assertEquals(List.of("scorer-joined@1 len"), described(first));
        // samples 0-1 are group 0, scored 1 and 0; the test engine reports no scalar rewards
        List<SampleResponse> samples = first.getSamplesList();
        assertEquals(List.of("best", "worst"), samples.stream().map(SampleResponse::getPick).toList());
        assertEquals(1.0, samples.get(0).getScores(0).getValue());
        assertEquals(0.0, samples.get(1).getScores(0).getValue());
        assertEquals("q", samples.get(0).getPrompt());
        assertEquals("a", samples.get(0).getResponse());
        assertTrue(Double.isNaN(samples.get(0).getScalarReward()));

        TestProbe<Learner.Steered> steered = kit.createTestProbe();
        l.tell(new Learner.Pause(steered.ref()));
        steered.receiveMessage();
        l.tell(new Learner.Resume(steered.ref()));
        steered.receiveMessage();
        TestProbe<Learner.WeightingReply> weighting = kit.createTestProbe();
        l.tell(new Learner.SetWeighting("fixed-linear", Map.of("len", 1.0), weighting.ref()));
        weighting.expectMessageClass(Learner.WeightingSet.class);
        TestProbe<Learner.CheckpointReply> checkpoint = kit.createTestProbe();
        l.tell(new Learner.WriteCheckpoint(checkpoint.ref()));
        checkpoint.expectMessageClass(Learner.CheckpointWritten.class);
        l.tell(new Learner.Waiting("no reference in the cluster"));
        l.tell(new Learner.Waiting(""));

        LearnerEvent second = train(l, 2, "len", "style");
        assertEquals(List.of("paused@1 ", "resumed@1 ", "weighting-changed@1 fixed-linear len=1.000",
                "node-lost@1 no reference in the cluster", "node-back@1 every role has a live node",
                "scorer-joined@2 style", "checkpoint@1 step-000000001"), described(second));
        assertTrue(second.getMarkersList().stream().allMatch(m -> m.getUnixMillis() > 0));

        LearnerEvent third = train(l, 3, "len");
        assertEquals(List.of("scorer-left@3 style"), described(third));
        assertEquals(List.of(), train(l, 4, "len").getMarkersList().stream().map(RunMarker::getKind).toList(),
                "each marker is carried once");
    }
}
