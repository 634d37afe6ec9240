package troupe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine.Option;
import troupe.core.checkpoint.CheckpointModel;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.train.ModelInit;

/**
 * Where training starts: an existing HF folder or checkpoint ({@code --model DIR}) or a fresh byte-level model
 * from a built-in init spec ({@code --init SPEC}, see {@link ModelInit}). The two are exclusive;
 * with neither, the command's default spec is used. A fresh model is written to a temporary
 * folder that {@link Resolved#close()} deletes, so every trainer reads one kind of input: a folder.
 */
final class ModelSource {

    @Option(names = "--model", paramLabel = "DIR",
            description = "Start from this HF model folder, or the policy of a checkpoint folder.")
    Path model;

    @Option(names = "--init", paramLabel = "SPEC", description = {
        "Start from a fresh byte-level model: 'demo' (llama, 4 layers, d 128) or TYPE-LxD[hH],",
        "e.g. llama-2x64h2. Exclusive with --model."})
    String init;

    /** A folder to train from; temporary when it came from an init spec. */
    record Resolved(Path dir, String description, boolean temporary) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (temporary) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /**
     * @param defaultSpec the init spec used when neither option is given
     * @param seed initialisation seed of a fresh model
     * @throws IllegalArgumentException when both options are given, the folder is missing or the spec is malformed
     * @throws troupe.core.model.ModelFormatException when the folder's config, weights or tokenizer cannot be used
     */
    Resolved resolve(String defaultSpec, long seed) throws IOException {
        if (model != null && init != null) {
            throw new IllegalArgumentException("give --model or --init, not both");
        }
        if (model != null) {
            if (!Files.isDirectory(model)) {
                throw new IllegalArgumentException("model folder not found: " + model);
            }
            Path dir = CheckpointModel.resolve(model); // a checkpoint's model/ folder, or model itself
            // Config, every tensor header and the tokenizer, before the command writes anything.
            HfFolder.validate(dir);
            return new Resolved(dir, dir.toString(), false);
        }
        ModelInit spec = ModelInit.parse(init != null ? init : defaultSpec);
        Path dir = Files.createTempDirectory("troupe-init-");
        spec.write(dir, seed);
        return new Resolved(dir, "fresh " + spec.spec() + " (seed " + seed + ")", true);
    }
}
