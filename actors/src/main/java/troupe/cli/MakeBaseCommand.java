package troupe.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.core.model.ModelType;
import troupe.core.model.train.SftOptions;
import troupe.core.model.train.SftResult;
import troupe.core.task.BaseRecipe;
import troupe.core.task.HeldOutEval;
import troupe.core.task.SftExample;
import troupe.core.task.Task;
import troupe.core.task.TaskRegistry;

/**
 * {@code troupe make-base}: the project's own recipe for a task's tiny base policy. Writes the
 * task's SFT examples (training split) as JSONL, trains a fresh byte-level model on them with the
 * task's {@link BaseRecipe} (each value overridable), measures held-out accuracy greedy and
 * sampled at T = 1, and records recipe and figures in {@value #RECORD} inside the folder.
 */
@Command(name = "make-base", description = {
    "Train a task's tiny base policy from scratch: write its SFT examples, run SFT with the",
    "task's tuned recipe (flags override), report held-out accuracy (greedy and sampled)."})
final class MakeBaseCommand implements Callable<Integer> {

    /** Provenance file written into the output folder. */
    static final String RECORD = "troupe_base.json";

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--task", defaultValue = "reverse", paramLabel = "NAME",
            description = "Built-in task (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the policy to.")
    Path out;

    @Option(names = "--examples", paramLabel = "N", description = "SFT examples to draw (default: the recipe's).")
    Integer examples;

    @Option(names = "--data-out", paramLabel = "FILE.jsonl",
            description = "Keep the SFT examples in this file (default: a temporary file).")
    Path dataOut;

    @Option(names = "--eval-n", paramLabel = "N", defaultValue = "200",
            description = "Held-out prompts to evaluate (default: ${DEFAULT-VALUE}).")
    int evalN;

    @CommandLine.Mixin
    ModelSource source;

    @CommandLine.Mixin
    TrainingOptions training;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Task t;
        try {
            t = TaskRegistry.get(task);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        BaseRecipe recipe = BaseRecipe.forTask(task);
        long seed = training.seed(recipe.seed());
        int count = examples != null ? examples : recipe.examples();
        Path data = dataOut != null ? dataOut : Files.createTempFile("troupe-sft-", ".jsonl");
        try (ModelSource.Resolved start = source.resolve(recipe.init(), seed)) {
            writeExamples(t.sftExamples(seed, count), data);
            SftOptions o = new SftOptions(data, start.dir(), ModelType.LLAMA, out, 1, training.steps(recipe.steps()),
                    training.batch(recipe.batchSize()), SftCommand.DEFAULT_MAX_LENGTH,
                    training.optimizer(recipe.learningRate(), recipe.warmupSteps()), seed, training.logEvery, null);
            err.println("make-base: task " + task + ", " + count + " examples, " + o.maxSteps() + " steps × "
                    + o.batchSize() + ", lr " + o.optimizer().learningRate() + ", from " + start.description());
            SftResult r = SftCommand.train(o, new ProgressLine(err, main.stderrIsTerminal));
            stdout.println(SftCommand.summary(r));
            Map<String, HeldOutEval.Result> eval = EvalCommand.evaluate(out, t,
                    HeldOutEval.Settings.defaults().withCount(evalN), 1.0, 0L);
            eval.forEach((label, e) -> stdout.println(EvalCommand.line(label, e)));
            writeRecord(o, start.description(), count, r, eval);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        } finally {
            if (dataOut == null) {
                Files.deleteIfExists(data);
            }
        }
    }

    static void writeExamples(List<SftExample> examples, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (SftExample e : examples) {
                JsonObject j = new JsonObject();
                j.addProperty("prompt", e.prompt());
                j.addProperty("completion", e.completion());
                w.write(j.toString());
                w.write('\n');
            }
        }
    }

    private void writeRecord(SftOptions o, String start, int count, SftResult r, Map<String, HeldOutEval.Result> eval)
            throws IOException {
        JsonObject j = new JsonObject();
        j.addProperty("task", task);
        j.addProperty("start", start);
        j.addProperty("examples", count);
        j.addProperty("steps", o.maxSteps());
        j.addProperty("batch", o.batchSize());
        j.addProperty("lr", o.optimizer().learningRate());
        j.addProperty("warmup", o.optimizer().warmupSteps());
        j.addProperty("seed", o.seed());
        j.addProperty("final_loss", r.finalLoss());
        j.addProperty("train_seconds", Math.round(r.seconds() * 10) / 10.0);
        j.addProperty("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        JsonObject held = new JsonObject();
        eval.forEach((label, e) -> {
            JsonObject x = new JsonObject();
            x.addProperty("n", e.count());
            x.addProperty("accuracy", e.accuracy());
            x.addProperty("mean_score", e.meanScore());
            x.addProperty("mean_chars", e.meanChars());
            held.add(label, x);
        });
        j.add("held_out", held);
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(j);
        Files.writeString(out.resolve(RECORD), json + "\n");
    }
}
