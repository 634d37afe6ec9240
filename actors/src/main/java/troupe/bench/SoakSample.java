package troupe.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What {@code troupe bench soak} samples of its own process at one moment: resident set, heap,
 * live threads and open file descriptors, with the learner step reached. RSS and open files
 * come from /proc/self (Linux; -1 elsewhere): RSS counts libtorch's native arrays and the
 * allocator's arenas, which the heap figures do not.
 *
 * @param seconds since the first sample
 * @param step last learner step published when the sample was taken (0 before the first)
 * @param rssMb {@code VmRSS} in MiB
 * @param heapUsedMb Java heap in use (live and not yet collected) in MiB
 * @param heapCommittedMb Java heap reserved from the OS in MiB
 * @param heapAfterGcMb heap in use right after the last collection of each heap pool, in MiB: the
 *     live data, without the sawtooth of {@code heapUsedMb} (which depends on when the sample falls
 *     between collections), so the series that shows a leak on the heap
 * @param threads live Java threads (the sampler's own included: a constant)
 * @param openFds entries of /proc/self/fd (the listing's own descriptor included: a constant)
 */
public record SoakSample(double seconds, long step, long rssMb, double heapUsedMb, double heapCommittedMb,
        double heapAfterGcMb, int threads, long openFds) {

    /** The CSV header of {@link #csvRow}, in column order. */
    public static final String CSV_HEADER = "seconds,step,rss_mb,heap_used_mb,heap_committed_mb,heap_after_gc_mb,threads,open_fds";

    /** The series whose drift is reported, with how each is read from a sample. */
    public static final List<Series> SERIES = List.of(
            new Series("rss_mb", "RSS (MiB)", s -> s.rssMb),
            new Series("heap_used_mb", "heap used (MiB)", s -> s.heapUsedMb),
            new Series("heap_committed_mb", "heap committed (MiB)", s -> s.heapCommittedMb),
            new Series("heap_after_gc_mb", "heap after GC (MiB)", s -> s.heapAfterGcMb),
            new Series("threads", "live threads", s -> s.threads),
            new Series("open_fds", "open file descriptors", s -> s.openFds));

    /** One column of the samples. */
    public record Series(String column, String label, java.util.function.ToDoubleFunction<SoakSample> value) {}

    private static final Path FDS = Path.of("/proc/self/fd");
    private static final double MIB = 1 << 20;

    /** Samples this process now. */
    public static SoakSample take(double seconds, long step) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new SoakSample(seconds, step, PeakRss.residentMegabytes().orElse(-1), heap.getUsed() / MIB,
                heap.getCommitted() / MIB, heapAfterGc() / MIB, ManagementFactory.getThreadMXBean().getThreadCount(), openFileDescriptors());
    }

    /** One CSV line, without its newline; decimals with a point whatever the locale. */
    public String csvRow() {
        return String.format(Locale.ROOT, "%.1f,%d,%d,%.1f,%.1f,%.1f,%d,%d", seconds, step, rssMb, heapUsedMb,
                heapCommittedMb, heapAfterGcMb, threads, openFds);
    }

    private static long heapAfterGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            used += after == null ? 0 : after.getUsed();
        }
        return used;
    }

    private static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
