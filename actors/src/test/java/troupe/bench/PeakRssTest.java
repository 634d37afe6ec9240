package troupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PeakRssTest {
    @Test
    void readsTheHighWaterMarkLineInMebibytes() {
        assertEquals(OptionalLong.of(812), PeakRss.parse(List.of("Name:\tjava", "VmPeak:\t 9999999 kB",
                "VmHWM:\t  831488 kB", "VmRSS:\t  500000 kB")));
        assertEquals(OptionalLong.empty(), PeakRss.parse(List.of("Name:\tjava")));
    }

    @Test
    void thisProcessHasAPeakAtLeastAsLargeAsItsHeapInUse() {
        assumeTrue(Files.exists(Path.of("/proc/self/status")), "Linux only");
        Runtime rt = Runtime.getRuntime();
        long used = (rt.totalMemory() - rt.freeMemory()) >> 20;
        OptionalLong peak = PeakRss.megabytes();
        assertTrue(peak.isPresent() && peak.getAsLong() >= used, peak + " vs heap in use " + used + " MB");
    }
}
