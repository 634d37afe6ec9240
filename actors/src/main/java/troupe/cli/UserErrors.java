package troupe.cli;

import com.typesafe.config.ConfigException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import troupe.core.config.SettingsException;
import troupe.core.data.JsonLines;
import troupe.core.model.ModelFormatException;
import troupe.core.model.train.SftDataException;
import troupe.core.reward.rm.PreferenceData;

/**
 * Which exceptions are the user's input rather than Troupe's fault: a model folder, data file or
 * config that cannot be used. Their messages already name the file (and key, tensor or line), so
 * the CLI prints them as one line with exit 2 and no stack trace.
 */
final class UserErrors {

    private UserErrors() {
    }

    /** The one-line message for a user error, or null when {@code e} is not one. */
    static String message(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            String inner = message(u.getCause());
            return inner == null ? null : oneLine(u.getMessage() + ": " + inner);
        }
        if (e instanceof ModelFormatException || e instanceof SettingsException || e instanceof SftDataException
                || e instanceof PreferenceData.FormatException || e instanceof JsonLines.BadLine
                || e instanceof ConfigException) {
            return oneLine(e.getMessage());
        }
        if (e instanceof NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileSystemException f) {
            return oneLine(f.getMessage());
        }
        return null;
    }

    /** Folds a multi-line message onto one line, so each error is one line on stderr. */
    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
