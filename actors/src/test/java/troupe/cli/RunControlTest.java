package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import troupe.proto.v1.CheckpointRequest;
import troupe.proto.v1.CheckpointResponse;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LearnerStreamGrpc;
import troupe.proto.v1.PauseRequest;
import troupe.proto.v1.ResumeRequest;
import troupe.proto.v1.RunState;
import troupe.proto.v1.StatusRequest;
import troupe.proto.v1.StopRequest;
import troupe.proto.v1.WatchRequest;

/** A real `troupe run` on a tiny model, watched and steered over its gRPC server on loopback. */
class RunControlTest {

    @TempDir
    Path dir;

    /** Watch over Netty into a queue; a {@code null}-free end marker is the stream completing. */
    static final class Watcher implements StreamObserver<LearnerEvent> {
        final LinkedBlockingQueue<LearnerEvent> events = new LinkedBlockingQueue<>();
        volatile boolean completed;

        @Override
        public void onNext(LearnerEvent e) {
            events.add(e);
        }

        @Override
        public void onError(Throwable t) {
            completed = true;
        }

        @Override
        public void onCompleted() {
            completed = true;
        }

        LearnerEvent next() throws InterruptedException {
            LearnerEvent e = events.poll(60, TimeUnit.SECONDS);
            assertTrue(e != null, "no learner event within 60 s");
            return e;
        }
    }

    static Watcher watch(LiveRun run) throws InterruptedException {
        Watcher w = new Watcher();
        LearnerStreamGrpc.newStub(run.channel()).watch(WatchRequest.newBuilder().setReplayLast(100).build(), w);
        return w;
    }

    /** Polls until {@code value} stops changing for {@code quietMillis}; returns it. */
    static long settled(LongSupplier value, long quietMillis) throws InterruptedException {
        long last = value.getAsLong();
        long since = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
            assertTrue(System.nanoTime() < deadline, "never settled");
            Thread.sleep(100);
            long now = value.getAsLong();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    static long step(LiveRun run) {
        try {
            return run.control().status(StatusRequest.getDefaultInstance()).getStep();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Timeout(120)
    void watchedRunPausesResumesCheckpointsAndStopsEarly() throws Exception {
        try (LiveRun run = LiveRun.start(dir, "steered", 500, "")) {
            Watcher w = watch(run);
            LearnerEvent first = w.next();
            assertEquals("steered", first.getRunId());
            assertTrue(w.next().getStep() > first.getStep(), "steps advance");
            // An embedded run hosts every role: all present and none waited for, in events and status.
            List<String> all = List.of("generator", "reward", "reference");
            assertEquals(all, first.getRoles().getPresentList());
            var readiness = run.control().status(StatusRequest.getDefaultInstance()).getReadiness();
            assertEquals(all, readiness.getNeededList());
            assertEquals(all, readiness.getPresentList());
            assertEquals(List.of(), readiness.getWaitingForList());

            assertEquals(RunState.PAUSED, run.control().pause(PauseRequest.getDefaultInstance()).getState());
            long paused = settled(() -> step(run), 1_500); // in-flight work finishes, then nothing
            assertEquals(RunState.PAUSED, run.control().status(StatusRequest.getDefaultInstance()).getState());
            Thread.sleep(1_000);
            assertEquals(paused, step(run), "no step while paused");

            assertEquals(RunState.RUNNING, run.control().resume(ResumeRequest.getDefaultInstance()).getState());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (step(run) <= paused) {
                assertTrue(System.nanoTime() < deadline, "steps did not continue after resume");
                Thread.sleep(100);
            }

            CheckpointResponse ck = run.control().checkpoint(CheckpointRequest.getDefaultInstance());
            assertTrue(ck.getStep() > paused, "checkpoint of step " + ck.getStep());
            assertTrue(Files.isRegularFile(Path.of(ck.getPath()).resolve("learner-state.properties")), ck.getPath());

            assertEquals(RunState.STOPPING,
                    run.control().stop(StopRequest.newBuilder().setCheckpoint(true).build()).getState());
            assertEquals(0, run.status.get(60, TimeUnit.SECONDS), run.err.toString());
            assertTrue(run.out.toString().contains("(stopped early)"), run.out.toString());
            assertTrue(Files.exists(run.runDir.resolve("final/model.safetensors")));
            long lines = Files.readAllLines(run.runDir.resolve("metrics.jsonl")).size();
            assertTrue(lines > paused && lines < 500, "metrics lines: " + lines);
            long deadlineEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!w.completed && System.nanoTime() < deadlineEnd) {
                Thread.sleep(50);
            }
            assertTrue(w.completed, "Watch ends with the run");
        }
    }
}
