package troupe.core.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.model.ModelType;
import troupe.core.model.sampling.Generate;
import troupe.core.model.sampling.GenerateOptions;
import troupe.core.model.sampling.GenerateResult;
import troupe.core.model.sampling.SamplingSettings;

class SftTest {

    @TempDir
    Path dir;

    @Test
    void sftLowersCompletionLossAndWritesAFolderThatGenerates() throws IOException {
        StringBuilder jsonl = new StringBuilder();
        for (int a = 1; a <= 4; a++) {
            jsonl.append("{\"prompt\": \"").append(a).append("+1=\", \"completion\": \"").append(a + 1).append("\"}\n");
        }
        Path data = dir.resolve("data.jsonl");
        Files.writeString(data, jsonl);
        List<SftOptions.SftProgress> reports = new ArrayList<>();
        SftOptions o = SftOptions.defaults(data, dir.resolve("out"))
                .withModel(null, ModelType.QWEN2)
                .withSteps(40, 4)
                .withOptimizer(OptimizerSettings.defaults().withSchedule(3e-3, 5, 0))
                .withProgress(10, reports::add);
        SftResult r = Sft.run(o);
        assertEquals(40, r.steps());
        assertTrue(r.finalLoss() < 0.3 * r.firstLoss(), r.firstLoss() + " → " + r.finalLoss());
        assertEquals(List.of(10, 20, 30, 40), reports.stream().map(SftOptions.SftProgress::step).toList());
        assertTrue(reports.get(0).tokensPerSecond() > 0 && reports.get(3).etaSeconds() == 0);

        GenerateResult g = Generate.run(GenerateOptions.text(r.output(), "3+1=",
                SamplingSettings.defaults().withGreedy(true).withMaxNewTokens(4)));
        assertEquals("4", g.completion());
        assertEquals(5, g.promptIds().length, "BOS + 4 bytes");
        assertEquals(g.completionIds().length, g.learnerLogprobs().length);
        assertTrue(!g.truncated(), "the model learned to emit EOS");
    }

    @Test
    void badLineIsReportedWithFileAndLineNumber() throws IOException {
        Path data = dir.resolve("data.jsonl");
        Files.writeString(data, "{\"prompt\": \"a\", \"completion\": \"b\"}\n{\"prompt\": 3}\n");
        SftDataException e = assertThrows(SftDataException.class, () -> SftData.read(data));
        assertTrue(e.getMessage().startsWith(data + ":2:"), e.getMessage());
        Files.writeString(data, "{\"prompt\": \"a\", \"completion\": \"b\"}\n\nnot json\n");
        e = assertThrows(SftDataException.class, () -> SftData.read(data));
        assertTrue(e.getMessage().startsWith(data + ":3:"), e.getMessage());
    }
}
