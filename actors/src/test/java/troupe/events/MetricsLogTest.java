package troupe.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.proto.v1.LearnerEvent;

class MetricsLogTest {
    @TempDir
    Path dir;

    @Test
    void eachEventIsOneFlushedLineAndAResumedLogAppends() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.open(file)) {
            log.accept(LearnerEvent.newBuilder().setStep(1).build());
            assertEquals(1, Files.readAllLines(file).size(), "flushed before close");
        }
        try (MetricsLog log = MetricsLog.append(file)) {
            log.accept(LearnerEvent.newBuilder().setStep(2).build());
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("\"step\": \"2\"") || lines.get(1).contains("\"step\":\"2\""), lines.get(1));
    }

    @Test
    void anEventAfterCloseIsDroppedNotAnError() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        MetricsLog log = MetricsLog.open(file);
        log.accept(LearnerEvent.newBuilder().setStep(1).build());
        log.close();
        log.accept(LearnerEvent.newBuilder().setStep(2).build()); // a learner still finishing its step
        assertEquals(1, Files.readAllLines(file).size());
    }
}
