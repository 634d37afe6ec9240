package troupe.api.http;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the browser tests ask the live page: JavaScript expressions over its DOM and ECharts instances. */
final class DashboardProbes {
    private DashboardProbes() {}

    static int awaitEvents(HeadlessChromium page, int atLeast, long deadline) throws Exception {
        int events = 0;
        while (events < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(100);
            events = Integer.parseInt(page.evaluate("(document.body && document.body.dataset.events) || '0'"));
        }
        return events;
    }

    /** The points an ECharts chart holds, summed over its series. */
    static int seriesPoints(HeadlessChromium page, String id) throws Exception {
        return Integer.parseInt(page.evaluate("(() => { const c = echarts.getInstanceByDom(document.getElementById('"
                + id + "')); return String(c ? c.getOption().series.filter(s => s).reduce((n, s) => n + s.data.length, 0) : 0); })()"));
    }

    static String seriesNames(String id) {
        return "echarts.getInstanceByDom(document.getElementById('" + id + "')).getOption().series.filter(s => s).map(s => s.name).join('|')";
    }

    static String yAxisMin(String id) {
        return "String(echarts.getInstanceByDom(document.getElementById('" + id + "')).getOption().yAxis[0].min)";
    }

    static String paretoAxisNames() {
        return "(() => { const o = echarts.getInstanceByDom(document.getElementById('pareto')).getOption();"
                + " return o.xAxis[0].name + '|' + o.yAxis[0].name; })()";
    }

    /** The markLine entries of a chart's series, as kind@step, in order. */
    static String markLines(String id) {
        return "echarts.getInstanceByDom(document.getElementById('" + id + "')).getOption().series.filter(s => s)"
                + ".flatMap(s => s.markLine && s.markLine.data ? s.markLine.data : [])"
                + ".filter(d => d.name).map(d => d.name + '@' + d.xAxis + ',').join('')";
    }

    /** JS counting the non-transparent pixels of the canvas ECharts drew a chart on. */
    static String inkedPixels(String chartId) {
        return "(() => { const c = document.querySelector('#" + chartId + " canvas');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return String(n); })()";
    }

    static Path target() throws Exception {
        Path t = Path.of(System.getProperty("basedir", "."), "target");
        Files.createDirectories(t);
        return t;
    }
}
