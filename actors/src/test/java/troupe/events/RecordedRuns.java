package troupe.events;

import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import troupe.proto.v1.LearnerEvent;

/**
 * The recorded event sequences of troupe-core's health tests (src/test/resources/troupe/health,
 * whose README says how they were recorded), read as LearnerEvents. Maven runs a module's tests
 * in the module folder, so core's test resources are one level up.
 */
public final class RecordedRuns {

    public static final String COLLAPSE = "collapse-run.jsonl";
    public static final String NORMAL = "normal-run.jsonl";

    private RecordedRuns() {}

    public static List<LearnerEvent> read(String name) throws IOException {
        Path file = Path.of("..", "src", "test", "resources", "troupe", "health", name);
        List<LearnerEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            LearnerEvent.Builder b = LearnerEvent.newBuilder();
            JsonFormat.parser().merge(line, b);
            events.add(b.setTotalSteps(0).build());
        }
        return events;
    }
}
