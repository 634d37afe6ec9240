package troupe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.core.model.train.ModelInit;
import troupe.core.reward.rm.PreferenceData;
import troupe.core.reward.rm.RmTrainOptions;
import troupe.core.reward.rm.RmTrainResult;
import troupe.core.reward.rm.RmTrainer;

/**
 * {@code troupe train-rm}: a learned reward model from JSONL preference pairs
 * ({@link RmTrainer}, Bradley–Terry loss), reporting held-out pairwise accuracy. The folder it
 * writes is what the {@code learned-rm} scorer loads ({@code model = DIR}).
 */
@Command(name = "train-rm", description = {
    "Train a reward model (scalar head on the decoder, Bradley-Terry loss) on JSONL lines",
    "{\"prompt\": ..., \"chosen\": ..., \"rejected\": ...}; reports held-out pairwise accuracy.",
    "Exit 2 on a bad data line (file:line)."})
final class TrainRmCommand implements Callable<Integer> {

    static final int DEFAULT_STEPS = 200;
    static final int DEFAULT_BATCH = 16;
    static final double DEFAULT_LR = 1e-3;
    static final int DEFAULT_WARMUP = 10;

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--pairs", required = true, paramLabel = "FILE.jsonl", description = "Preference pairs.")
    Path pairs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the reward model to.")
    Path out;

    @Option(names = "--held-out", paramLabel = "F", defaultValue = "" + RmTrainOptions.DEFAULT_HELD_OUT,
            description = "Share of pairs held out for the accuracy (default: ${DEFAULT-VALUE}).")
    double heldOut;

    @Option(names = "--max-length", paramLabel = "L", defaultValue = "256",
            description = "Tokens kept per sequence, the last ones (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @CommandLine.Mixin
    ModelSource source;

    @CommandLine.Mixin
    TrainingOptions training;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(pairs)) {
            err.println("error: pairs file not found: " + pairs);
            return Main.EXIT_USAGE;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            err.println("error: --out: " + out + " is a file, not a folder");
            return Main.EXIT_USAGE;
        }
        // Every line is checked before a model is built or anything printed (the trainer parses it
        // again: milliseconds per MB, against a bad line found after minutes of set-up).
        PreferenceData.read(pairs);
        long seed = training.seed(0L);
        ProgressLine line = new ProgressLine(err, main.stderrIsTerminal);
        try (ModelSource.Resolved start = source.resolve(ModelInit.DEMO, seed)) {
            RmTrainOptions o = new RmTrainOptions(pairs, start.dir(), out, training.steps(DEFAULT_STEPS),
                    training.batch(DEFAULT_BATCH), maxLength, training.optimizer(DEFAULT_LR, DEFAULT_WARMUP), seed,
                    heldOut, training.logEvery, p -> line.update(String.format(
                            "step %d/%d  loss %.4f  batch accuracy %.0f%%  ETA %s", p.step(), p.totalSteps(),
                            p.loss(), 100 * p.accuracy(), ProgressLine.duration(p.etaSeconds()))));
            err.println("train-rm: " + pairs + " → " + out + ", from " + start.description());
            RmTrainResult r;
            try {
                r = RmTrainer.run(o);
            } finally {
                line.finish();
            }
            spec.commandLine().getOut().println(String.format(
                    "trained %d steps on %d pairs in %s: loss %.4f → %.4f; held-out pairwise accuracy %.1f%% (%d pairs);"
                            + " wrote %s",
                    r.steps(), r.trainPairs(), ProgressLine.duration(r.seconds()), r.firstLoss(), r.finalLoss(),
                    100 * r.heldOutAccuracy(), r.heldOutPairs(), r.output()));
            return 0;
        } catch (PreferenceData.FormatException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
    }
}
