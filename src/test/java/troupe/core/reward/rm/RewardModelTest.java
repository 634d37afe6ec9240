package troupe.core.reward.rm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.config.SettingsException;
import troupe.core.model.ModelFormatException;
import troupe.core.model.train.ModelInit;
import troupe.core.model.train.OptimizerSettings;
import troupe.core.reward.Direction;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.ScorerRegistry;

class RewardModelTest {

    @TempDir
    Path dir;

    private static ScoreInput input(String response) {
        return new ScoreInput("more a:", response, new int[0], new int[0], "", Map.of(), false);
    }

    @Test
    void learnsAKnownPreferenceAndScoresThroughTheRegistry() throws IOException {
        Path pairs = SyntheticPreferences.write(dir.resolve("pairs.jsonl"), 600, 1L);
        Path start = dir.resolve("init");
        ModelInit.parse("llama-2x32h2").write(start, 0L);
        RmTrainOptions o = RmTrainOptions.defaults(pairs, start, dir.resolve("rm"))
                .withSteps(150, 16)
                .withOptimizer(OptimizerSettings.defaults().withSchedule(3e-3, 10, 0));
        RmTrainResult r = RmTrainer.run(o);
        assertEquals(60, r.heldOutPairs());
        assertEquals(540, r.trainPairs());
        assertEquals(Math.log(2), r.firstLoss(), 0.05, "a near-zero head starts at log 2");
        assertTrue(r.heldOutAccuracy() >= 0.9, "held-out pairwise accuracy " + r.heldOutAccuracy());
        assertTrue(Files.readString(dir.resolve("rm/config.json")).contains("\"TroupeRewardModel\""));

        RewardScorer scorer = ScorerRegistry.fromClasspath().create(LearnedRmScorer.NAME,
                ConfigFactory.parseMap(Map.of("model", dir.resolve("rm").toString(), "batch-size", 2)));
        try {
            assertEquals(Direction.MAXIMIZE, scorer.objective().direction());
            assertEquals("preference", scorer.objective().name());
            float[] s = scorer.score(List.of(input("aaaaab"), input("bcdbcd"), input("aaaaab")));
            assertTrue(s[0] > s[1], s[0] + " vs " + s[1]);
            assertEquals(s[0], s[2], 1e-5, "batching does not change a score");
        } finally {
            ((LearnedRmScorer) scorer).close();
        }
    }

    @Test
    void aPolicyFolderIsNotARewardModel() throws IOException {
        Path policy = dir.resolve("policy");
        ModelInit.parse("llama-1x32h2").write(policy, 0L);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> new LearnedRmScorer(new LearnedRmScorer.Settings(policy, "preference", 32, 256)));
        assertTrue(e.getMessage().contains("not a reward model"), e.getMessage());
    }

    @Test
    void unknownConfigKeyIsNamed() {
        ScorerRegistry registry = ScorerRegistry.fromClasspath();
        SettingsException e = assertThrows(SettingsException.class,
                () -> registry.create(LearnedRmScorer.NAME, ConfigFactory.parseMap(Map.of("model", "x", "modle", "y"))));
        assertTrue(e.getMessage().contains("[modle]"), e.getMessage());
        SettingsException missing = assertThrows(SettingsException.class,
                () -> registry.create(LearnedRmScorer.NAME, ConfigFactory.empty()));
        assertTrue(missing.getMessage().contains("model"), missing.getMessage());
    }

    @Test
    void sameSeedTrainsTheSameWeights() throws IOException {
        Path pairs = SyntheticPreferences.write(dir.resolve("pairs.jsonl"), 20, 2L);
        Path start = dir.resolve("init");
        ModelInit.parse("qwen2-1x32h2").write(start, 0L);
        byte[][] weights = new byte[2][];
        for (int run = 0; run < 2; run++) {
            RmTrainResult r = RmTrainer.run(RmTrainOptions.defaults(pairs, start, dir.resolve("rm" + run))
                    .withSteps(3, 4));
            weights[run] = Files.readAllBytes(r.output().resolve("model.safetensors"));
        }
        assertArrayEquals(weights[0], weights[1]);
    }
}
