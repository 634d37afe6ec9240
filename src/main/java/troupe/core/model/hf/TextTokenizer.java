package troupe.core.model.hf;

import java.io.IOException;
import java.nio.file.Path;

/** Text ↔ token ids, with the special ids a model folder records. */
public interface TextTokenizer extends AutoCloseable {

    /** Ids of {@code text}, without special tokens. */
    int[] encode(String text);

    /** Text of {@code ids}; special tokens are skipped. */
    String decode(int[] ids);

    /** Beginning-of-sequence id, or -1. */
    int bosId();

    /** End-of-sequence id, or -1. */
    int eosId();

    /** Padding id, or -1. */
    int padId();

    /** Writes tokenizer.json (and Troupe's record of the tokenizer kind) into {@code dir}. */
    void save(Path dir) throws IOException;

    @Override
    default void close() {
    }
}
