package troupe.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.SamplingParams;
import troupe.core.rollout.StageTiming;

/** Rollout batches for transport tests. */
public final class TestBatches {
    private TestBatches() {}

    /** {@code samples} samples of {@code tokens} response tokens, every value distinct. */
    public static RolloutBatch batch(int samples, int tokens) {
        List<Sample> list = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            int[] response = new int[tokens];
            float[] logp = new float[tokens];
            for (int t = 0; t < tokens; t++) {
                response[t] = 1000 * i + t;
                logp[t] = -0.001f * t - i;
            }
            list.add(Sample.sampled("p" + i, i, new int[] {i, -i}, response, logp, logp.clone(), i % 2 == 0,
                    "prompt " + i, "response " + i, "task", Map.of("answer", String.valueOf(i))));
        }
        return RolloutBatch.sampled("run", 7, 3, new SamplingParams(1f, 0, 1f, tokens, 1, false, 1f), list,
                new StageTiming("generate", 1, "node"));
    }

}
