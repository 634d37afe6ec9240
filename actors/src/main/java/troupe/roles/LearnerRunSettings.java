package troupe.roles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import troupe.core.algo.dapo.DynamicSamplingSettings;
import troupe.events.SampleChooser;
import troupe.core.model.hf.TextTokenizer;

/**
 * What the {@link Learner} of one run needs besides its engine.
 *
 * @param totalSteps steps of the run, ≥ 1
 * @param checkpointEvery checkpoint after every N-th step; 0 = only at shutdown
 * @param checkpointDir parent folder of the per-step checkpoint folders
 * @param resumed counters of the checkpoint a resumed run continues from
 * @param ledgerFile where each admitted batch's fate is appended ({@link BatchLedger})
 * @param dynamicSampling DAPO dynamic sampling: a step is assembled from as many batches as it
 *     takes to hold {@code groupsPerStep} groups with signal ({@link troupe.core.rl.DynamicSampler}); empty = off
 * @param groupsPerStep prompt groups per step (the pipeline's prompts-per-step)
 * @param samples responses each step's event carries ({@link SampleChooser})
 * @param checkpointTokenizer the run's tokenizer: each checkpoint then also holds the policy as a
 *     Hugging Face folder ({@link troupe.core.checkpoint.CheckpointModel}), which `troupe eval` reads; null = not
 */
public record LearnerRunSettings(String runId, long totalSteps, int maxPolicyLag, Duration broadcastTimeout,
        int checkpointEvery, boolean checkpointOnShutdown, Path checkpointDir, Optional<Checkpoints.State> resumed,
        Path ledgerFile, Optional<DynamicSamplingSettings> dynamicSampling, int groupsPerStep,
        SampleChooser.Settings samples, TextTokenizer checkpointTokenizer) {

    /** Without dynamic sampling. */
    public LearnerRunSettings(String runId, long totalSteps, int maxPolicyLag, Duration broadcastTimeout,
            int checkpointEvery, boolean checkpointOnShutdown, Path checkpointDir,
            Optional<Checkpoints.State> resumed, Path ledgerFile) {
        this(runId, totalSteps, maxPolicyLag, broadcastTimeout, checkpointEvery, checkpointOnShutdown,
                checkpointDir, resumed, ledgerFile, Optional.empty(), 0, SampleChooser.Settings.NONE, null);
    }

    /** These settings with dynamic sampling on, for steps of {@code groups} prompt groups. */
    public LearnerRunSettings withDynamicSampling(DynamicSamplingSettings sampling, int groups) {
        return new LearnerRunSettings(runId, totalSteps, maxPolicyLag, broadcastTimeout, checkpointEvery,
                checkpointOnShutdown, checkpointDir, resumed, ledgerFile, Optional.of(sampling), groups, samples,
                checkpointTokenizer);
    }

    /** These settings with {@code chosen} sample responses in each step's event. */
    public LearnerRunSettings withSamples(SampleChooser.Settings chosen) {
        return new LearnerRunSettings(runId, totalSteps, maxPolicyLag, broadcastTimeout, checkpointEvery,
                checkpointOnShutdown, checkpointDir, resumed, ledgerFile, dynamicSampling, groupsPerStep, chosen,
                checkpointTokenizer);
    }

    /** These settings with checkpoints that hold the policy as an HF folder too; null = they do not. */
    public LearnerRunSettings withCheckpointModel(TextTokenizer tokenizer) {
        return new LearnerRunSettings(runId, totalSteps, maxPolicyLag, broadcastTimeout, checkpointEvery,
                checkpointOnShutdown, checkpointDir, resumed, ledgerFile, dynamicSampling, groupsPerStep, samples,
                tokenizer);
    }

    /** A fresh run whose ledger sits next to its checkpoint folder. */
    public LearnerRunSettings(String runId, long totalSteps, int maxPolicyLag, Duration broadcastTimeout,
            int checkpointEvery, boolean checkpointOnShutdown, Path checkpointDir) {
        this(runId, totalSteps, maxPolicyLag, broadcastTimeout, checkpointEvery, checkpointOnShutdown,
                checkpointDir, Optional.empty(), checkpointDir.resolveSibling("batches.tsv"));
    }
}
