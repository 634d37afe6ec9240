package troupe.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.bench.ModelBench;

/**
 * {@code troupe bench model}: every flag of {@code torch_baseline.py}'s argparse with the same
 * name, meaning and default (the test ModelBenchCommandTest holds the two flag sets equal), so a
 * command line copied from one runs on the other; plus {@code --json}.
 */
@Command(name = "model", description = {
    "The model code alone, with the flags, defaults and JSON of torch_baseline.py (the PyTorch-eager",
    "anchor): training tokens/s (fwd + bwd + AdamW, median step) and greedy decode steps/s with the",
    "KV cache incl. prefill, on random weights. Prints one JSON line, then a markdown row."})
final class ModelBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--layout", defaultValue = "llama", description = "llama, qwen2 or gpt2 (default ${DEFAULT-VALUE})")
    String layout;
    @Option(names = "--layers", defaultValue = "4", description = "decoder layers (default ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--d-model", defaultValue = "128", description = "hidden width (default ${DEFAULT-VALUE})")
    int dModel;
    @Option(names = "--heads", defaultValue = "4", description = "attention heads (default ${DEFAULT-VALUE})")
    int heads;
    @Option(names = "--kv-heads", defaultValue = "0", description = "llama/qwen2 only; 0 = --heads")
    int kvHeads;
    @Option(names = "--ffn", defaultValue = "0", description = "0 = llama 8/3*d rounded up to 64, gpt2 4*d")
    int ffn;
    @Option(names = "--vocab", defaultValue = "256", description = "vocabulary size (default ${DEFAULT-VALUE})")
    int vocab;
    @Option(names = "--ctx", defaultValue = "128", description = "positions (default ${DEFAULT-VALUE})")
    int ctx;
    @Option(names = "--tie", description = "tie lm_head to the embedding (gpt2 always ties)")
    boolean tie;
    @Option(names = "--batch", defaultValue = "16", description = "training sequences (default ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--seq", defaultValue = "64", description = "training tokens per sequence (default ${DEFAULT-VALUE})")
    int seq;
    @Option(names = "--threads", defaultValue = "1",
            description = "intra-op threads of this process; overrides TROUPE_THREADS (default ${DEFAULT-VALUE})")
    int threads;
    @Option(names = "--steps", defaultValue = "10", description = "timed training steps (default ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--warmup", defaultValue = "5", description = "untimed steps; the first 3-4 pay page faults")
    int warmup;
    @Option(names = "--prompt-len", defaultValue = "8", description = "decode prompt tokens (default ${DEFAULT-VALUE})")
    int promptLen;
    @Option(names = "--decode-tokens", defaultValue = "0", description = "0 = ctx - prompt-len")
    int decodeTokens;
    @Option(names = "--decode-batch", defaultValue = "1", split = ",", description = "comma list, e.g. 1,8")
    List<Integer> decodeBatch;
    @Option(names = "--decode-reps", defaultValue = "3", description = "decode repetitions, median (default ${DEFAULT-VALUE})")
    int decodeReps;
    @Option(names = "--kv-impl", defaultValue = "static",
            description = "static (reserved up front) or cat (grows) (default ${DEFAULT-VALUE})")
    String kvImpl;
    @Option(names = "--mode", defaultValue = "all", description = "train, decode or all (default ${DEFAULT-VALUE})")
    String mode;
    @Option(names = "--seed", defaultValue = "0", description = "weight seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--json", description = "print only the JSON line")
    boolean json;

    @Override
    public Integer call() {
        choice("--layout", layout, "llama", "qwen2", "gpt2");
        choice("--kv-impl", kvImpl, "static", "cat");
        choice("--mode", mode, "train", "decode", "all");
        atLeast("--layers", layers, 1);
        atLeast("--steps", steps, 1);
        atLeast("--warmup", warmup, 0);
        atLeast("--threads", threads, 1);
        atLeast("--decode-reps", decodeReps, 1);
        atLeast("--prompt-len", promptLen, 1);
        decodeBatch.forEach(b -> atLeast("--decode-batch", b, 1));
        ModelBench.Options o = new ModelBench.Options(layout, layers, dModel, heads, kvHeads, ffn, vocab, ctx, tie, batch,
                seq, threads, steps, warmup, promptLen, decodeTokens, decodeBatch, decodeReps, kvImpl, mode, seed);
        try {
            ModelBench.config(o);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        JsonObject res = ModelBench.run(o);
        PrintWriter out = spec.commandLine().getOut();
        out.println(res);
        if (!json) {
            out.println();
            out.println(markdown(res));
        }
        out.flush();
        return 0;
    }

    /** A header and one row: the figures BENCHMARKS.md divides by the script's. */
    static String markdown(JsonObject res) {
        JsonObject c = res.getAsJsonObject("config");
        StringBuilder head = new StringBuilder("| layout | layers × d | params | threads | train tok/s | fwd ms | bwd ms "
                + "| opt ms |");
        StringBuilder row = new StringBuilder(String.format("| %s | %d × %d | %.2f M | %d |", c.get("layout").getAsString(),
                c.get("n_layers").getAsInt(), c.get("d_model").getAsInt(), res.get("n_params").getAsLong() / 1e6,
                res.get("threads").getAsInt()));
        JsonObject t = res.getAsJsonObject("train");
        for (String k : List.of("tokens_per_s", "fwd_ms", "bwd_ms", "opt_ms")) {
            row.append(t == null ? " – |" : " " + t.get(k).getAsString() + " |");
        }
        JsonArray d = res.has("decode") ? res.getAsJsonArray("decode") : new JsonArray();
        for (JsonElement e : d) {
            head.append(" decode b").append(e.getAsJsonObject().get("batch").getAsInt()).append(" steps/s |");
            row.append(' ').append(e.getAsJsonObject().get("kv_steps_per_s").getAsString()).append(" |");
        }
        head.append(" peak RSS MB |");
        row.append(res.has("peak_rss_mb") ? " " + res.get("peak_rss_mb").getAsString() + " |" : " – |");
        return head + "\n" + "|---".repeat(head.toString().split("\\|", -1).length - 2) + "|\n" + row;
    }

    private void choice(String flag, String value, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    flag + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
        }
    }

    private void atLeast(String flag, int value, int min) {
        if (value < min) {
            throw new CommandLine.ParameterException(spec.commandLine(), flag + " must be >= " + min + ", got " + value);
        }
    }
}
