package troupe.core.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.engine.Prompt;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.prompts.PromptDataset;
import troupe.core.prompts.PromptRenderer;

class DatasetPromptSourceTest {
    private static final PromptRenderer PLAIN = new PromptRenderer(new ByteTokenizer(), Optional.empty());

    @TempDir
    Path dir;

    private PromptDataset data(int n) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append("{\"prompt\": \"p").append(i).append("\", \"answer\": \"").append(i).append("\"}\n");
        }
        Path f = dir.resolve("d.jsonl");
        Files.writeString(f, text);
        return PromptDataset.index(f, PLAIN, 64, 16);
    }

    private static List<String> texts(List<Prompt> prompts) {
        return prompts.stream().map(Prompt::text).toList();
    }

    @Test
    void everyEpochVisitsEachTrainingPromptOnceInItsOwnSeededOrder() throws IOException {
        PromptDataset d = data(10);
        DatasetPromptSource s = new DatasetPromptSource(d, new int[] {0, 2, 4, 6, 8}, PLAIN, 3);
        List<String> first = texts(s.next(5));
        List<String> second = texts(s.next(5));
        assertEquals(new TreeSet<>(List.of("p0", "p2", "p4", "p6", "p8")), new TreeSet<>(first));
        assertEquals(new TreeSet<>(first), new TreeSet<>(second));
        assertNotEquals(first, second, "reshuffled per epoch");
        assertEquals(10, s.position());
        assertEquals(first, texts(new DatasetPromptSource(d, new int[] {0, 2, 4, 6, 8}, PLAIN, 3).next(5)));
    }

    @Test
    void seekingToACheckpointedPositionReplaysTheSameStream() throws IOException {
        PromptDataset d = data(7);
        DatasetPromptSource straight = new DatasetPromptSource(d, d.all(), PLAIN, 11);
        List<String> all = new ArrayList<>();
        for (int step = 0; step < 6; step++) {
            all.addAll(texts(straight.next(4)));
        }
        DatasetPromptSource resumed = new DatasetPromptSource(d, d.all(), PLAIN, 11);
        resumed.seek(3 * 4);
        List<String> tail = new ArrayList<>();
        for (int step = 3; step < 6; step++) {
            tail.addAll(texts(resumed.next(4)));
        }
        assertEquals(all.subList(12, 24), tail);
    }

    @Test
    void promptsCarryTheirLinesFieldsAsMetadata() throws IOException {
        PromptDataset d = data(3);
        for (Prompt p : new DatasetPromptSource(d, d.all(), PLAIN, 1).next(3)) {
            assertEquals(p.text().substring(1), p.metadata().get("answer"));
        }
    }
}
