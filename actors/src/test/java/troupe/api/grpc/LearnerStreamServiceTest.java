package troupe.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import troupe.api.FakeRunControl;
import troupe.api.LearnerEventHub;
import troupe.api.TestEvents;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LearnerStreamGrpc;
import troupe.proto.v1.WatchRequest;

class LearnerStreamServiceTest {

    @Test
    void watchReplaysTheRingThenStreamsLiveEventsWithoutAToken() throws Exception {
        LearnerEventHub hub = new LearnerEventHub(4, 16);
        for (long step = 1; step <= 6; step++) {
            hub.publish(TestEvents.step(step));
        }
        try (InProcessTroupe t = new InProcessTroupe(hub, new FakeRunControl())) {
            Iterator<LearnerEvent> it = LearnerStreamGrpc.newBlockingStub(t.channel)
                    .watch(WatchRequest.newBuilder().setReplayLast(3).build());
            List<Long> steps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                steps.add(it.next().getStep());
            }
            assertEquals(List.of(4L, 5L, 6L), steps);
            hub.publish(TestEvents.step(7));
            assertEquals(7, it.next().getStep());
            hub.close();
            assertFalse(it.hasNext(), "the stream ends when the run's hub closes");
        }
    }

    @Test
    void replayLargerThanTheRingIsCapped() throws Exception {
        LearnerEventHub hub = new LearnerEventHub(2, 16);
        for (long step = 1; step <= 5; step++) {
            hub.publish(TestEvents.step(step));
        }
        hub.close();
        try (InProcessTroupe t = new InProcessTroupe(hub, new FakeRunControl())) {
            // replay_last is uint32: 0xFFFFFFFF must read as 4 billion, not -1.
            Iterator<LearnerEvent> it = LearnerStreamGrpc.newBlockingStub(t.channel)
                    .watch(WatchRequest.newBuilder().setReplayLast(-1).build());
            assertEquals(0, countRemaining(it), "a hub closed before subscribing yields an empty stream");
        }
        LearnerEventHub open = new LearnerEventHub(2, 16);
        for (long step = 1; step <= 5; step++) {
            open.publish(TestEvents.step(step));
        }
        try (InProcessTroupe t = new InProcessTroupe(open, new FakeRunControl())) {
            Iterator<LearnerEvent> it = LearnerStreamGrpc.newBlockingStub(t.channel)
                    .watch(WatchRequest.newBuilder().setReplayLast(-1).build());
            assertEquals(4, it.next().getStep());
            assertEquals(5, it.next().getStep());
            open.close();
            assertFalse(it.hasNext());
        }
    }

    private static int countRemaining(Iterator<LearnerEvent> it) {
        int n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return n;
    }
}
