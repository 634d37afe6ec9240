package troupe.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The sampling side of {@code troupe bench soak}: while a run trains, a {@link SoakSample} at
 * 0, every, 2·every … duration (so duration ÷ every + 1 rows, however late a sample is taken on
 * a loaded machine), each appended and flushed to a CSV as it is taken, so a soak cut short still
 * leaves its figures; then the drift table and an SVG chart of the series.
 */
public final class Soak {
    private Soak() {}

    /**
     * Samples until {@code duration} has passed or {@code ended} turns true (a failed run).
     *
     * @param step the last learner step published
     * @param csv file the rows go to (created, with {@link SoakSample#CSV_HEADER})
     * @param onSample called with each sample after it is written
     */
    public static List<SoakSample> sample(Duration duration, Duration every, LongSupplier step, BooleanSupplier ended,
            Path csv, Consumer<SoakSample> onSample) throws IOException, InterruptedException {
        long n = duration.toNanos() / every.toNanos();
        List<SoakSample> samples = new ArrayList<>();
        long t0 = System.nanoTime();
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write(SoakSample.CSV_HEADER);
            w.newLine();
            w.flush();
            for (long i = 0; i <= n && !ended.getAsBoolean(); i++) {
                long wait = t0 + i * every.toNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                SoakSample s = SoakSample.take((System.nanoTime() - t0) / 1e9, step.getAsLong());
                samples.add(s);
                w.write(s.csvRow());
                w.newLine();
                w.flush();
                onSample.accept(s);
            }
        }
        return samples;
    }

    /** The samples as a chart of four panels over minutes, the warm-up samples shaded. */
    public static String chart(String title, List<SoakSample> samples, int warmup) {
        double[] minutes = samples.stream().mapToDouble(s -> s.seconds() / 60).toArray();
        List<SvgChart.Panel> panels = List.of(
                new SvgChart.Panel("resident set (MiB)", List.of(line("RSS", samples, SoakSample::rssMb))),
                new SvgChart.Panel("Java heap (MiB)", List.of(line("used", samples, SoakSample::heapUsedMb),
                        line("committed", samples, SoakSample::heapCommittedMb),
                        line("after GC", samples, SoakSample::heapAfterGcMb))),
                new SvgChart.Panel("live threads", List.of(line("threads", samples, SoakSample::threads))),
                new SvgChart.Panel("open file descriptors", List.of(line("fds", samples, SoakSample::openFds))));
        double shade = warmup < samples.size() ? minutes[warmup] : Double.NaN;
        return SvgChart.render(title, "min", minutes, panels, shade);
    }

    /** The drift table in markdown, with the windows it compares. */
    public static void printDrift(PrintWriter out, SoakDrift d, int samples) {
        out.printf("warm-up: samples 1-%d (%.0f%%); first window after it: samples %d-%d; last window: samples %d-%d%n",
                d.warmup(), 100 * SoakDrift.WARMUP_FRACTION, d.warmup() + 1, 2 * d.warmup(),
                samples - d.warmup() + 1, samples);
        out.println("| series | first window mean | last window mean | drift |");
        out.println("|---|---:|---:|---:|");
        for (SoakDrift.Row r : d.rows()) {
            out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %s |%n", r.label(), r.firstMean(), r.lastMean(),
                    Double.isNaN(r.drift()) ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", 100 * r.drift()));
        }
    }

    private static SvgChart.Line line(String name, List<SoakSample> samples,
            java.util.function.ToDoubleFunction<SoakSample> f) {
        return new SvgChart.Line(name, samples.stream().mapToDouble(f).toArray());
    }
}
