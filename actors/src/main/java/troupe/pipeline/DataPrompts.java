package troupe.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import troupe.config.RunSettings;
import troupe.config.TroupeSettings;
import troupe.core.config.SettingsException;
import troupe.core.engine.Prompt;
import troupe.core.engine.PromptSource;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelFormatException;
import troupe.core.model.hf.ChatTemplate;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.prompts.PromptDataset;
import troupe.core.prompts.PromptRenderer;
import troupe.core.rl.DatasetPromptSource;

/**
 * The prompts of a run on a JSONL file ({@code troupe.run.data}): the training file checked
 * whole, the held-out prompts (the {@code eval-data} file, or the {@code eval-fraction} of the
 * training file the seed picks) and the chat template both are rendered with. Built before the
 * run starts, so a bad line stops it with nothing trained.
 *
 * @param train the training file
 * @param pool indices of {@code train} trained on
 * @param eval held-out prompts of the before/after table, at most {@code heldout-prompts}
 * @param renderer template (or none) and tokenizer
 */
public record DataPrompts(PromptDataset train, int[] pool, List<Prompt> eval, PromptRenderer renderer) {

    /**
     * @throws troupe.core.prompts.PromptDataException for a bad line, an empty file or an over-long prompt
     * @throws SettingsException for a chat template file that cannot be used
     */
    public static DataPrompts load(TroupeSettings s, Path modelDir, TextTokenizer tokenizer, ModelConfig mc)
            throws IOException {
        RunSettings run = s.run();
        PromptRenderer renderer = new PromptRenderer(tokenizer, template(run.chatTemplate(), modelDir));
        int context = mc.maxPositions();
        int budget = s.sampling().maxNewTokens();
        PromptDataset train = PromptDataset.index(Path.of(run.data()), renderer, context, budget);
        PromptDataset evalFile = train;
        int[] pool;
        int[] held;
        if (run.evalData().isEmpty()) {
            PromptDataset.Split split = train.split(run.evalFraction(), run.seed());
            pool = split.train();
            held = split.eval();
        } else {
            evalFile = PromptDataset.index(Path.of(run.evalData()), renderer, context, budget);
            pool = train.all();
            held = evalFile.all();
        }
        held = Arrays.copyOf(held, Math.min(held.length, run.heldOutPrompts()));
        return new DataPrompts(train, pool, evalFile.prompts(held, renderer), renderer);
    }

    /** The run's prompt stream: the training pool, reshuffled per epoch from the run seed. */
    public PromptSource source(long seed) {
        return new DatasetPromptSource(train, pool, renderer, seed);
    }

    /** The first training line as the policy will see it, for the start-up banner. */
    public String firstPrompt() {
        return train.prompts(new int[] {pool[0]}, renderer).get(0).text();
    }

    /** Where the prompts' format comes from, for the start-up banner. */
    public String format() {
        return renderer.template().map(t -> "chat template " + t.origin()).orElse("no chat template");
    }

    private static Optional<ChatTemplate> template(String setting, Path modelDir) throws IOException {
        try {
            return switch (setting) {
                case RunSettings.TEMPLATE_AUTO -> ChatTemplate.fromFolder(modelDir);
                case RunSettings.TEMPLATE_NONE -> Optional.empty();
                default -> Optional.of(ChatTemplate.fromFile(Path.of(setting), modelDir));
            };
        } catch (ModelFormatException e) {
            throw SettingsException.because("troupe.run.chat-template", e.getMessage());
        }
    }
}
