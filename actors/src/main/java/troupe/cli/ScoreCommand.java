package troupe.cli;

import com.google.gson.JsonObject;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.config.ConfigCheck;
import troupe.config.TroupeConfig;
import troupe.config.TroupeSettings;
import troupe.core.config.SettingsException;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.hf.TokenizerIo;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.ScorerRegistry;
import troupe.core.reward.ScorerSpec;
import troupe.core.reward.rules.ResponseLines;
import troupe.core.reward.rules.RewardOption;

/**
 * {@code troupe score}: debug a reward before training. Runs the declared rewards over JSONL lines
 * that hold a prompt line's fields plus a {@code response}, and prints one JSON line per input
 * line with each objective's score, the rule's outcome and any fault, exactly as the pipeline's
 * reward stage would see them (each scorer through {@link ScorerRuns}, i.e. SafeScoring).
 */
@Command(name = "score", description = {
    "Score responses with the declared rewards, one JSON line per input line:",
    "  {\"line\": n, \"scores\": {objective: value}, \"outcomes\": {objective: reason}, \"faults\": {...}}",
    "Each --data line holds the prompt line's fields (answer, tests, ...) plus \"response\".",
    "Exit status 0 when every line was scored, 2 on a bad rule, option or data line (before line 1)."})
final class ScoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "JSONL of responses: {\"response\": \"...\", \"answer\": \"...\", ...} per line")
    Path data;

    @Option(names = "--reward", paramLabel = "NAME[:key=value,...]", converter = RewardDeclarations.Converter.class,
            description = RewardDeclarations.HELP)
    List<RewardOption> rewards = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON file whose troupe.rewards.scorers also run")
    Path config;

    @Option(names = "--model", paramLabel = "DIR",
            description = "model folder whose tokenizer counts tokens (length with unit = tokens); without it, 0")
    Path model;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Config merged;
        List<RewardScorer> scorers;
        try {
            Config user = RewardDeclarations.apply(
                    config == null ? ConfigFactory.empty() : TroupeConfig.parseUserFile(config), rewards);
            List<ConfigCheck.Problem> problems = ConfigCheck.check(user, TroupeConfig.reference(),
                    TroupeSettings::fromConfig);
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println("error: " + p.message()));
                return Main.EXIT_USAGE;
            }
            merged = user.withFallback(TroupeConfig.reference()).resolve();
            List<ScorerSpec> specs = ScorerRegistry.configured(merged);
            if (specs.isEmpty()) {
                err.println("error: no reward: use --reward or troupe.rewards.scorers");
                return Main.EXIT_USAGE;
            }
            scorers = ScorerRegistry.fromClasspath().withDefaultsOf(merged).createAll(specs);
        } catch (IllegalArgumentException | ConfigException | SettingsException e) {
            err.println("error: " + UserErrors.oneLine(e.getMessage()));
            return Main.EXIT_USAGE;
        }
        List<ResponseLines.Line> lines;
        try {
            lines = ResponseLines.read(data);
        } catch (ResponseLines.BadLine e) {
            err.println("error: " + UserErrors.oneLine(e.getMessage()));
            return Main.EXIT_USAGE;
        }
        if (model != null) {
            lines = tokenized(lines, model);
        }
        Duration deadline = TroupeSettings.fromConfig(merged).pipeline().scorerDeadline();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "troupe-score");
            t.setDaemon(true); // a scorer that ignores its deadline's interrupt must not keep the JVM up
            return t;
        });
        try {
            for (ResponseLines.Line line : lines) {
                out.println(scoreLine(line.number(), line.input(), scorers, deadline, executor));
            }
        } finally {
            executor.shutdownNow();
        }
        out.flush();
        return 0;
    }

    /**
     * The lines with prompt and response encoded by the folder's tokenizer. No EOS is appended (the
     * text is all there is), so a length in tokens is one short of the pipeline's for a response
     * that ended on EOS.
     */
    private static List<ResponseLines.Line> tokenized(List<ResponseLines.Line> lines, Path dir) throws IOException {
        List<ResponseLines.Line> out = new ArrayList<>(lines.size());
        try (TextTokenizer tok = TokenizerIo.load(dir, HfFolder.readConfig(dir))) {
            for (ResponseLines.Line l : lines) {
                ScoreInput in = l.input();
                out.add(new ResponseLines.Line(l.number(), new ScoreInput(in.promptText(), in.responseText(),
                        tok.encode(in.promptText()), tok.encode(in.responseText()), in.task(), in.metadata(),
                        in.truncated())));
            }
        }
        return out;
    }

    /** One output line: every scorer on one sample. */
    static String scoreLine(int number, ScoreInput input, List<RewardScorer> scorers, Duration deadline,
            ExecutorService executor) {
        JsonObject scores = new JsonObject();
        JsonObject outcomes = new JsonObject();
        JsonObject faults = new JsonObject();
        for (RewardScorer scorer : scorers) {
            ScorerRuns.Result r = ScorerRuns.one(scorer, input, deadline, executor);
            if (r.fault() != null) {
                JsonObject f = new JsonObject();
                f.addProperty("kind", r.fault().kind().name().toLowerCase(java.util.Locale.ROOT));
                f.addProperty("detail", r.fault().detail());
                faults.add(r.fault().objective(), f);
            } else {
                scores.addProperty(r.objective(), r.score());
                if (r.outcome() != null) {
                    outcomes.addProperty(r.objective(), r.outcome());
                }
            }
        }
        JsonObject line = new JsonObject();
        line.addProperty("line", number);
        line.add("scores", scores);
        line.add("outcomes", outcomes);
        line.add("faults", faults);
        return line.toString();
    }
}
