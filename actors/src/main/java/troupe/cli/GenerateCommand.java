package troupe.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.core.model.sampling.Generate;
import troupe.core.model.sampling.GenerateOptions;
import troupe.core.model.sampling.GenerateResult;
import troupe.core.model.sampling.SamplingSettings;

/**
 * {@code troupe generate}: one completion from a model folder or a checkpoint's ({@link Generate#run}). Prints the
 * completion text, or with {@code --json} the prompt and completion ids and, per completion
 * token, its log-prob under the model at T = 1 ({@code logprobs}) and under the distribution it
 * was actually drawn from ({@code sampler_logprobs}: 0 for greedy).
 */
@Command(name = "generate", description = "Sample one completion from a model or checkpoint folder.")
final class GenerateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ModelFolder model;

    @CommandLine.ArgGroup(multiplicity = "1")
    PromptInput input;

    static final class PromptInput {
        @Option(names = "--prompt", required = true, paramLabel = "TEXT",
                description = "Prompt text (BOS added when the tokenizer has one).")
        String text;

        @Option(names = "--tokens", required = true, paramLabel = "IDS", split = ",",
                description = "Prompt token ids used verbatim, comma-separated.")
        int[] ids;
    }

    @Option(names = "--greedy", description = "Argmax decoding (ignores temperature/top-k/top-p).")
    boolean greedy;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0", description = "Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "0 disables (default).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0", description = "1 disables (default).")
    double topP;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Sampling seed (default: 0).")
    long seed;

    @Option(names = "--max-new", paramLabel = "N", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
    int maxNew;

    @Option(names = "--json", description = "Print ids and per-token log-probs as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Path folder = model.resolve(err);
        if (folder == null) {
            return Main.EXIT_USAGE;
        }
        GenerateResult r;
        try {
            SamplingSettings s = new SamplingSettings(temperature, topK, topP, maxNew, seed, greedy, 1.0);
            r = Generate.run(input.text != null ? GenerateOptions.text(folder, input.text, s)
                    : GenerateOptions.ids(folder, input.ids, s));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? toJson(input.text, r) : r.completion());
        return 0;
    }

    static String toJson(String prompt, GenerateResult r) {
        JsonObject j = new JsonObject();
        j.addProperty("prompt", prompt);
        j.add("prompt_ids", ints(r.promptIds()));
        j.addProperty("completion", r.completion());
        j.add("completion_ids", ints(r.completionIds()));
        j.add("logprobs", floats(r.learnerLogprobs()));
        j.add("sampler_logprobs", floats(r.samplerLogprobs()));
        j.addProperty("truncated", r.truncated());
        j.addProperty("seconds", r.seconds());
        Gson gson = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
        return gson.toJson(j);
    }

    private static JsonArray ints(int[] a) {
        JsonArray out = new JsonArray();
        for (int v : a) {
            out.add(v);
        }
        return out;
    }

    private static JsonArray floats(float[] a) {
        JsonArray out = new JsonArray();
        for (float v : a) {
            out.add(v);
        }
        return out;
    }
}
