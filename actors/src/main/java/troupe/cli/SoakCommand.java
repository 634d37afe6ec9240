package troupe.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.bench.Soak;
import troupe.bench.SoakDrift;
import troupe.bench.SoakSample;
import troupe.config.TroupeSettings;

/**
 * {@code troupe bench soak}: the embedded job of {@code troupe run} (same engines, roles, servers,
 * checkpoints), its steps unbounded, stopped after {@code --duration}; the process's memory,
 * threads and open files sampled each {@code --every} into {@code soak.csv}, then {@code soak.svg}
 * and the drift after warm-up ({@link SoakDrift}).
 */
@Command(name = "soak", description = {
    "Run the embedded job (troupe run's engines, roles, servers and checkpoints) for a fixed time,",
    "sampling RSS, heap, live threads and open files into DIR/soak.csv; then DIR/soak.svg and each",
    "series' drift after warm-up (last window mean / first window mean after warm-up - 1)."})
final class SoakCommand implements Callable<Integer> {
    /** The largest troupe.run.steps accepts: days of steps, so the duration is what ends the run. */
    static final int UNBOUNDED_STEPS = 10_000_000;
    /** The run's id: its metrics and checkpoints go to DIR/run. */
    static final String RUN_ID = "run";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BenchRunOptions run;

    @Option(names = "--duration", defaultValue = "30m", converter = DurationConverter.class,
            description = "how long the job trains, e.g. 30m, 90s, 2h (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--every", defaultValue = "60s", converter = DurationConverter.class,
            description = "sampling interval (default ${DEFAULT-VALUE})")
    Duration every;

    @Option(names = "--out", paramLabel = "DIR",
            description = "folder of soak.csv, soak.svg and the run (default: runs/soak-<timestamp>)")
    Path out;

    @Option(names = "--no-servers", description = "start neither the gRPC server nor the dashboard")
    boolean noServers;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (every.compareTo(duration) > 0) {
            err.printf("error: --every %s is longer than --duration %s%n", DurationConverter.format(every),
                    DurationConverter.format(duration));
            return Main.EXIT_USAGE;
        }
        Path dir = out != null ? out : Path.of("runs",
                "soak-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            err.println("error: --out: " + dir + " is a file, not a folder");
            return Main.EXIT_USAGE;
        }
        Config merged = ConfigFactory.empty()
                .withValue("troupe.run.output-dir", ConfigValueFactory.fromAnyRef(dir.toString()))
                .withFallback(run.merged(UNBOUNDED_STEPS)).resolve();
        TroupeSettings s = TroupeSettings.fromConfig(merged);
        Path model = run.modelDir(s);
        Files.createDirectories(dir);
        List<SoakSample> samples;
        long steps;
        try (EmbeddedJob job = EmbeddedJob.start(merged, s, RUN_ID, model, !noServers, err)) {
            err.printf("soak %s: model %s, task %s, %s sampled every %s%n", dir, model, s.run().task(),
                    DurationConverter.format(duration), DurationConverter.format(every));
            samples = Soak.sample(duration, every, job::step, job::ended, dir.resolve("soak.csv"),
                    x -> err.printf(Locale.ROOT, "soak %s step %d: rss %d MiB, heap %.0f/%.0f MiB"
                            + " (%.0f after GC), %d threads, %d fds%n",
                            DurationConverter.format(Duration.ofSeconds(Math.round(x.seconds()))), x.step(), x.rssMb(),
                            x.heapUsedMb(), x.heapCommittedMb(), x.heapAfterGcMb(), x.threads(), x.openFds()));
            steps = job.stop(); // a failed run throws here
        }
        Files.writeString(dir.resolve("soak.svg"), Soak.chart("troupe bench soak: " + model.getFileName() + ", "
                + DurationConverter.format(duration) + ", " + steps + " steps", samples,
                SoakDrift.of(samples).map(SoakDrift::warmup).orElse(0)), StandardCharsets.UTF_8);
        report(dir, samples, steps);
        return 0;
    }

    private void report(Path dir, List<SoakSample> samples, long steps) throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        o.printf("soak %s: %d samples over %s every %s, %d steps, run folder %d MiB%n", dir, samples.size(),
                DurationConverter.format(duration), DurationConverter.format(every), steps,
                folderBytes(dir.resolve(RUN_ID)) >> 20);
        SoakDrift.of(samples).ifPresentOrElse(d -> Soak.printDrift(o, d, samples.size()),
                () -> o.println("drift: n/a (needs 3 samples or more)"));
        o.printf("csv   %s%nchart %s%n", dir.resolve("soak.csv"), dir.resolve("soak.svg"));
        o.flush();
    }

    private static long folderBytes(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 500ms}: a whole number and a unit, more than 0. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            Matcher m = FORM.matcher(value.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a duration > 0 with a unit: ms, s, m or h (e.g. 30m)");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }

        /** {@code 1h02m03s}, {@code 30m00s}, {@code 4s}. */
        static String format(Duration d) {
            long s = d.toSeconds();
            return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                    : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60)
                    : d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
        }
    }
}
