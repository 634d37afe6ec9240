package troupe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.core.model.ModelType;
import troupe.core.model.train.ModelInit;
import troupe.core.model.train.Sft;
import troupe.core.model.train.SftData;
import troupe.core.model.train.SftDataException;
import troupe.core.model.train.SftOptions;
import troupe.core.model.train.SftResult;

/**
 * {@code troupe sft}: supervised fine-tuning ({@link Sft#run}) on a JSONL file of
 * {@code {"prompt", "completion"}} lines, with a live progress line on stderr. A malformed line
 * exits 2 naming {@code file:line}.
 */
@Command(name = "sft", description = {
    "Supervised fine-tuning on JSONL lines {\"prompt\": ..., \"completion\": ...}: loss on completion",
    "tokens (+ EOS) only; writes an HF model folder. Exit 2 on a bad data line (file:line)."})
final class SftCommand implements Callable<Integer> {

    /** Default epochs when --steps is not given. */
    static final int DEFAULT_EPOCHS = 3;
    static final int DEFAULT_BATCH = 16;
    static final double DEFAULT_LR = 1e-3;
    static final int DEFAULT_WARMUP = 10;
    static final int DEFAULT_MAX_LENGTH = 256;

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE.jsonl", description = "Training data.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the trained model to.")
    Path out;

    @CommandLine.Mixin
    ModelSource source;

    @CommandLine.Mixin
    TrainingOptions training;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "" + DEFAULT_EPOCHS,
            description = "Passes over the data when --steps is not given (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--max-length", paramLabel = "L", defaultValue = "" + DEFAULT_MAX_LENGTH,
            description = "Prompt + completion tokens kept per example (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(data)) {
            err.println("error: data file not found: " + data);
            return Main.EXIT_USAGE;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            err.println("error: --out: " + out + " is a file, not a folder");
            return Main.EXIT_USAGE;
        }
        // Every line is checked before a model is built or anything printed (the trainer parses it
        // again: milliseconds per MB, against a bad line found after minutes of set-up).
        SftData.read(data);
        long seed = training.seed(0L);
        try (ModelSource.Resolved start = source.resolve(ModelInit.DEMO, seed)) {
            SftOptions o = new SftOptions(data, start.dir(), ModelType.LLAMA, out, epochs, training.steps(0),
                    training.batch(DEFAULT_BATCH), maxLength, training.optimizer(DEFAULT_LR, DEFAULT_WARMUP), seed,
                    training.logEvery, null);
            err.println("sft: " + data + " → " + out + ", from " + start.description());
            SftResult r = train(o, new ProgressLine(err, main.stderrIsTerminal));
            spec.commandLine().getOut().println(summary(r));
            return 0;
        } catch (SftDataException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
    }

    /** Runs {@link Sft#run} reporting progress as "step n/N  loss x  tokens/s  ETA". */
    static SftResult train(SftOptions o, ProgressLine line) throws IOException {
        SftOptions withProgress = o.withProgress(o.logEvery(), p -> line.update(String.format(
                "step %d/%d  loss %.4f  %,.0f tok/s  ETA %s", p.step(), p.totalSteps(), p.loss(), p.tokensPerSecond(),
                ProgressLine.duration(p.etaSeconds()))));
        try {
            return Sft.run(withProgress);
        } finally {
            line.finish();
        }
    }

    static String summary(SftResult r) {
        return String.format("trained %d steps in %s: loss %.4f → %.4f, %,d tokens (%,.0f tok/s); wrote %s",
                r.steps(), ProgressLine.duration(r.seconds()), r.firstLoss(), r.finalLoss(), r.tokens(),
                r.tokens() / Math.max(r.seconds(), 1e-9), r.output());
    }
}
