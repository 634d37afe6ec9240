package troupe.api.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeMap;
import troupe.api.LearnerEventHub;
import troupe.proto.v1.LearnerEvent;

/**
 * A run's past as the page loads it before following the live stream: the run's metrics log
 * (every step since the run began, across resumes) overlaid with the hub's replay ring (steps
 * the log has not flushed yet, or the only history when there is no log). One event per step;
 * a step trained again after a resume keeps its latest line, as the run itself did.
 */
final class EventHistory {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private EventHistory() {}

    /**
     * The events in step order, as a JSON array of {@link DashboardServer#json} objects.
     *
     * @param replay how many of the hub's most recent events to add on top of the log
     * @throws UncheckedIOException when the log exists but cannot be read, naming the file
     */
    static String json(Optional<Path> metricsLog, LearnerEventHub hub, long replay) {
        TreeMap<Long, LearnerEvent> byStep = new TreeMap<>();
        metricsLog.filter(Files::isRegularFile).ifPresent(file -> read(file, byStep));
        try (LearnerEventHub.Subscription sub = hub.subscribe(replay)) {
            // The replay is buffered at subscription: poll() hands it over without waiting.
            for (LearnerEvent e = sub.poll(); e != null; e = sub.poll()) {
                byStep.put(e.getStep(), e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot close a replay subscription", e);
        }
        StringBuilder out = new StringBuilder(64 + byStep.size() * 2048).append('[');
        for (LearnerEvent e : byStep.values()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(DashboardServer.json(e));
        }
        return out.append(']').toString();
    }

    private static void read(Path file, TreeMap<Long, LearnerEvent> byStep) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                LearnerEvent.Builder b = LearnerEvent.newBuilder();
                try {
                    PARSER.merge(line, b);
                } catch (InvalidProtocolBufferException e) {
                    // A line cut short by a crash mid-write: the steps before it are still history.
                    continue;
                }
                byStep.put(b.getStep(), b.build());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read metrics log " + file, e);
        }
    }
}
