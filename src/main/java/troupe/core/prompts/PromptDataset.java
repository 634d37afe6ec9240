package troupe.core.prompts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import troupe.core.data.JsonLines;
import troupe.core.engine.Prompt;

/**
 * A JSONL prompt file ({@link PromptLine}), checked whole in one pass and then read line by line:
 * memory holds the byte offset and line number of each prompt (12 bytes a line), never the
 * prompts, so a file larger than the heap streams. Every line is parsed, rendered and tokenised
 * during the check, so a bad line, an empty file or a prompt the model cannot take fails
 * ({@link PromptDataException}, {@code file:line: reason}) before anything trains.
 */
public final class PromptDataset {
    /** The {@code task} of a dataset prompt, as scorers see it in {@code ScoreInput.task}. */
    public static final String TASK = "data";
    private static final int READ_CHUNK = 8192;

    private final Path file;
    private final long[] offsets;
    private final int[] lines;

    private PromptDataset(Path file, long[] offsets, int[] lines) {
        this.file = file;
        this.offsets = offsets;
        this.lines = lines;
    }

    /**
     * Checks every line of {@code file} and indexes it.
     *
     * @param context the model's context in tokens (positions)
     * @param responseBudget tokens a response may take; a prompt may take {@code context - responseBudget}
     * @throws PromptDataException naming the file (and line) of the first problem
     */
    public static PromptDataset index(Path file, PromptRenderer renderer, int context, int responseBudget)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new PromptDataException(file + ": no such file");
        }
        int maxPrompt = context - responseBudget;
        if (maxPrompt < 1) {
            throw new PromptDataException(file + ": the response budget (" + responseBudget
                    + " tokens) leaves no room for a prompt in the model's context (" + context + " tokens)");
        }
        long[][] offsets = {new long[1024]};
        int[][] numbers = {new int[1024]};
        int[] n = {0};
        try {
            JsonLines.forEach(file, (number, offset, json) -> {
                int length = renderer.tokens(renderer.text(PromptLine.parse(json))).length;
                if (length > maxPrompt) {
                    throw new IllegalArgumentException("prompt is " + length + " tokens, longer than the model's"
                            + " context (" + context + ") minus the response budget (" + responseBudget + ") = "
                            + maxPrompt);
                }
                if (n[0] == offsets[0].length) {
                    offsets[0] = Arrays.copyOf(offsets[0], 2 * n[0]);
                    numbers[0] = Arrays.copyOf(numbers[0], 2 * n[0]);
                }
                offsets[0][n[0]] = offset;
                numbers[0][n[0]++] = number;
            });
        } catch (JsonLines.BadLine e) {
            throw new PromptDataException(e.getMessage());
        }
        if (n[0] == 0) {
            throw new PromptDataException(file + ": no prompts (the file is empty or blank)");
        }
        return new PromptDataset(file, Arrays.copyOf(offsets[0], n[0]), Arrays.copyOf(numbers[0], n[0]));
    }

    /** Prompts in the file. */
    public int size() {
        return offsets.length;
    }

    public Path file() {
        return file;
    }

    /** The 1-based line number of prompt {@code i}. */
    public int lineOf(int i) {
        return lines[i];
    }

    /** The line of prompt {@code i}, read back from the file. */
    public PromptLine line(int i) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return PromptLine.parse(JsonLines.parse(file, lines[i], readLine(ch, offsets[i])));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ":" + lines[i], e);
        }
    }

    /**
     * Prompts {@code indices} as the generator needs them: id {@code <file name>:<line>}, task
     * {@value #TASK}, the line's other fields as metadata. One open of the file per call.
     */
    public List<Prompt> prompts(int[] indices, PromptRenderer renderer) {
        List<Prompt> out = new ArrayList<>(indices.length);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i : indices) {
                PromptLine line = PromptLine.parse(JsonLines.parse(file, lines[i], readLine(ch, offsets[i])));
                String text = renderer.text(line);
                out.add(new Prompt(file.getFileName() + ":" + lines[i], text, renderer.tokens(text), TASK,
                        line.fields()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /**
     * A split of the prompts into training and held-out ones, fixed by the seed: a Fisher–Yates
     * permutation of the indices, the first {@code round(fraction · n)} held out (at most n − 1,
     * so something trains), both parts in file order.
     */
    public Split split(double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("eval fraction must be in [0, 1), got " + fraction);
        }
        int n = size();
        int held = (int) Math.min(n - 1, Math.round(fraction * n));
        int[] perm = EpochOrder.permutation(n, new SplittableRandom(seed ^ 0x5EEDF00DL));
        int[] eval = Arrays.copyOf(perm, held);
        int[] train = Arrays.copyOfRange(perm, held, n);
        Arrays.sort(eval);
        Arrays.sort(train);
        return new Split(train, eval);
    }

    /** Every prompt's index, in file order. */
    public int[] all() {
        int[] out = new int[size()];
        Arrays.setAll(out, i -> i);
        return out;
    }

    /** Indices into the dataset. */
    public record Split(int[] train, int[] eval) {}

    private static byte[] readLine(FileChannel ch, long offset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(READ_CHUNK);
        long pos = offset;
        while (true) {
            buf.clear();
            int read = ch.read(buf, pos);
            if (read <= 0) {
                return out.toByteArray();
            }
            for (int k = 0; k < read; k++) {
                if (buf.get(k) == '\n') {
                    out.write(buf.array(), 0, k);
                    return out.toByteArray();
                }
            }
            out.write(buf.array(), 0, read);
            pos += read;
        }
    }
}
