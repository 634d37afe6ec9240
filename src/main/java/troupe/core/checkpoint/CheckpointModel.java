package troupe.core.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import troupe.core.model.ModelFormatException;

/**
 * The policy a run checkpoint holds as a Hugging Face folder, and how a model argument
 * ({@code --model DIR}, {@code troupe.run.model}) finds it. A checkpoint's own files
 * ({@code policy.safetensors} with the optimizer moments, the learner state) are what a resume
 * reads; {@value #FOLDER}/ beside them is the same weights as config.json, model.safetensors and
 * the tokenizer, so a checkpoint loads wherever a model folder does — in Troupe, transformers or
 * vLLM — at the cost of one more copy of the weights per checkpoint.
 */
public final class CheckpointModel {
    /** Sub-folder of a checkpoint holding its policy as a Hugging Face folder. */
    public static final String FOLDER = "model";
    /** A Hugging Face folder's config file, as in HfFolder (model.hf imports this package, not the other way). */
    private static final String CONFIG = "config.json";

    private CheckpointModel() {}

    /**
     * {@code dir} when it is not a checkpoint holding a model folder, else that folder: for callers
     * whose own loader names what is missing.
     */
    public static Path find(Path dir) {
        return !Files.isRegularFile(dir.resolve(CONFIG))
                && Files.isRegularFile(dir.resolve(FOLDER).resolve(CONFIG)) ? dir.resolve(FOLDER) : dir;
    }

    /**
     * The model folder {@code dir} names: itself when it has config.json, else the model folder of
     * the checkpoint it is.
     *
     * @throws ModelFormatException naming what is missing, when {@code dir} is neither
     */
    public static Path resolve(Path dir) {
        Path found = find(dir);
        if (found != dir || Files.isRegularFile(dir.resolve(CONFIG))) {
            return found;
        }
        Path inner = dir.resolve(FOLDER).resolve(CONFIG);
        if (Files.isRegularFile(dir.resolve(Manifest.FILE)) && !Files.isDirectory(dir.resolve(FOLDER))) {
            throw new ModelFormatException(dir + " is a checkpoint without a model folder (missing file " + inner
                    + ": written by an older Troupe); resume it with --resume, which writes final/");
        }
        throw new ModelFormatException(dir + " is neither a model folder (missing file " + dir.resolve(CONFIG)
                + ") nor a checkpoint folder (missing file " + inner + ")");
    }
}
