package troupe.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import troupe.core.checkpoint.CheckpointModel;
import troupe.core.model.ModelFormatException;

/**
 * A required model ({@code --model}): an HF folder, or a run checkpoint, whose {@code model/}
 * folder is one ({@link CheckpointModel}); checked before anything loads it.
 */
final class ModelFolder {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "HF model folder, or a checkpoint folder (runs/<id>/checkpoints/step-…).")
    Path path;

    /**
     * The HF folder to load; null, after printing a one-line error, when {@code path} does not exist.
     *
     * @throws ModelFormatException naming the missing files when it is neither a model folder nor
     *     a checkpoint holding one (one line and exit 2 from {@link Main}; --verbose adds the trace)
     */
    Path resolve(PrintWriter err) {
        if (!Files.isDirectory(path)) {
            err.println("error: model folder not found: " + path);
            return null;
        }
        return CheckpointModel.resolve(path);
    }
}
