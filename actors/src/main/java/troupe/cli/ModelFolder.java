package troupe.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** A required HF model folder ({@code --model}), checked before anything loads it. */
final class ModelFolder {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "HF model folder.")
    Path path;

    /** True, after printing a one-line error, when the folder does not exist. */
    boolean missing(PrintWriter err) {
        if (Files.isDirectory(path)) {
            return false;
        }
        err.println("error: model folder not found: " + path);
        return true;
    }
}
