package troupe.core.model.sampling;

import java.nio.file.Path;

/**
 * Inputs of {@link Generate#run}.
 *
 * @param modelDir HF folder (config.json, model.safetensors, tokenizer)
 * @param prompt prompt text (formatted with {@link troupe.core.model.hf.PromptFormat}), or null
 * @param promptIds prompt token ids used verbatim when {@code prompt} is null
 * @param sampling temperature/top-k/top-p/seed/greedy/max-new
 */
public record GenerateOptions(Path modelDir, String prompt, int[] promptIds, SamplingSettings sampling) {

    public GenerateOptions {
        if ((prompt == null) == (promptIds == null)) {
            throw new IllegalArgumentException("give exactly one of prompt text or prompt ids");
        }
    }

    public static GenerateOptions text(Path modelDir, String prompt, SamplingSettings sampling) {
        return new GenerateOptions(modelDir, prompt, null, sampling);
    }

    public static GenerateOptions ids(Path modelDir, int[] promptIds, SamplingSettings sampling) {
        return new GenerateOptions(modelDir, null, promptIds.clone(), sampling);
    }
}
