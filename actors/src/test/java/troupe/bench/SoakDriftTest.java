package troupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SoakDriftTest {
    private static SoakSample rss(int i, long mb) {
        return new SoakSample(60.0 * i, i, mb, 100, 200, 80, 40, 90);
    }

    @Test
    void driftComparesTheLastFifthWithTheFifthAfterWarmUp() {
        // 10 samples: w = 2; warm-up 0-1 (ignored, however high), first window 2-3, last window 8-9.
        long[] mb = {5000, 3000, 800, 820, 900, 900, 900, 900, 850, 870};
        List<SoakSample> s = new ArrayList<>();
        for (int i = 0; i < mb.length; i++) {
            s.add(rss(i, mb[i]));
        }
        SoakDrift d = SoakDrift.of(s).orElseThrow();
        assertEquals(2, d.warmup());
        SoakDrift.Row r = d.rows().get(0);
        assertEquals("RSS (MiB)", r.label());
        assertEquals(810, r.firstMean(), 1e-9);
        assertEquals(860, r.lastMean(), 1e-9);
        assertEquals(860.0 / 810 - 1, r.drift(), 1e-12);
        // a flat series has no drift; the rows follow SoakSample.SERIES
        assertEquals(List.of("RSS (MiB)", "heap used (MiB)", "heap committed (MiB)", "heap after GC (MiB)", "live threads",
                "open file descriptors"), d.rows().stream().map(SoakDrift.Row::label).toList());
        assertEquals(0, d.rows().get(4).drift(), 0);
    }

    @Test
    void threeSamplesAreTheFewestThatGiveADrift() {
        assertEquals(Optional.empty(), SoakDrift.of(List.of(rss(0, 1), rss(1, 2))));
        SoakDrift d = SoakDrift.of(List.of(rss(0, 1), rss(1, 2), rss(2, 3))).orElseThrow();
        assertEquals(1, d.warmup());
        assertEquals(0.5, d.rows().get(0).drift(), 1e-12);
    }

    @Test
    void aSampleOfThisProcessReadsEveryColumn() {
        SoakSample s = SoakSample.take(1.5, 7);
        assertTrue(s.heapUsedMb() > 0 && s.heapCommittedMb() >= s.heapUsedMb(), s.toString());
        assertTrue(s.threads() >= 1, s.toString());
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/fd"))) {
            assertTrue(s.rssMb() > 0 && s.openFds() >= 3, s.toString()); // stdin, stdout, stderr at least
        }
        String[] cols = s.csvRow().split(",");
        assertEquals(SoakSample.CSV_HEADER.split(",").length, cols.length);
        assertEquals("1.5", cols[0]);
        assertEquals("7", cols[1]);
    }

    @Test
    void theChartHasAPanelPerSeriesAndShadesTheWarmUp() {
        List<SoakSample> s = List.of(rss(0, 800), rss(1, 810), rss(2, 805), rss(3, 807), rss(4, 806));
        String svg = Soak.chart("soak <test>", s, 1);
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertEquals(6, svg.split("<polyline", -1).length - 1); // RSS, heap used, committed, after GC, threads, fds
        assertTrue(svg.contains("soak &lt;test&gt;"), "title escaped");
        assertTrue(svg.contains("fill=\"#eeeeee\""), "warm-up band");
        assertTrue(svg.contains(">810<") && svg.contains(">800<"), "RSS range labelled");
    }
}
