package troupe.bench;

import java.util.List;
import java.util.Locale;

/**
 * A plain SVG line chart of stacked panels over one x axis, for a benchmark's figures (the soak's
 * memory, threads and files over time). Self-contained markup, no script: it opens in a browser
 * and renders on GitHub. Each panel scales y to its own range (with the range printed), and an
 * optional band shades x below a bound (the soak's warm-up).
 */
public final class SvgChart {
    private static final int WIDTH = 720;
    private static final int PANEL_HEIGHT = 130;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 40;
    private static final int GAP = 30;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    /** One line of a panel: a y value per x. */
    public record Line(String name, double[] y) {}

    /** One panel: a title and its lines, drawn on a shared y scale. */
    public record Panel(String title, List<Line> lines) {}

    private SvgChart() {}

    /**
     * The chart as SVG text.
     *
     * @param x the shared x values, increasing
     * @param shadeBelow x below which the background is shaded (NaN: none)
     */
    public static String render(String title, String xLabel, double[] x, List<Panel> panels, double shadeBelow) {
        int plotW = WIDTH - LEFT - RIGHT;
        int height = TOP + panels.size() * (PANEL_HEIGHT + GAP) + 20;
        double x0 = x.length == 0 ? 0 : x[0];
        double x1 = x.length < 2 || x[x.length - 1] == x0 ? x0 + 1 : x[x.length - 1];
        StringBuilder b = new StringBuilder();
        b.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                + " font-size=\"11\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", WIDTH, height));
        b.append(f("<text x=\"%d\" y=\"20\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            int top = TOP + p * (PANEL_HEIGHT + GAP);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Line l : panel.lines()) {
                for (double v : l.y()) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (!(hi > lo)) { // flat or empty: centre the line in a band of ±1
                lo = Double.isFinite(lo) ? lo - 1 : 0;
                hi = lo + 2;
            }
            if (!Double.isNaN(shadeBelow) && shadeBelow > x0) {
                double sx = Math.min(shadeBelow, x1);
                b.append(f("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eeeeee\"/>%n", (double) LEFT,
                        top, (sx - x0) / (x1 - x0) * plotW, PANEL_HEIGHT));
            }
            b.append(f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", LEFT,
                    top, plotW, PANEL_HEIGHT));
            b.append(f("<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT, top - 6,
                    escape(panel.title())));
            b.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 4, top + 10, number(hi)));
            b.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 4, top + PANEL_HEIGHT,
                    number(lo)));
            for (int i = 0; i < panel.lines().size(); i++) {
                Line l = panel.lines().get(i);
                String colour = COLOURS[i % COLOURS.length];
                StringBuilder pts = new StringBuilder();
                for (int k = 0; k < Math.min(x.length, l.y().length); k++) {
                    pts.append(f("%.1f,%.1f ", LEFT + (x[k] - x0) / (x1 - x0) * plotW,
                            top + PANEL_HEIGHT - (l.y()[k] - lo) / (hi - lo) * PANEL_HEIGHT));
                }
                b.append(f("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n", colour,
                        pts.toString().trim()));
                b.append(f("<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", LEFT + plotW + 8, top + 14 + 14 * i,
                        colour, escape(l.name())));
            }
            int axisY = top + PANEL_HEIGHT + 13;
            b.append(f("<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT, axisY, number(x0)));
            b.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s %s</text>%n", LEFT + plotW, axisY, number(x1),
                    escape(xLabel)));
        }
        return b.append("</svg>\n").toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : f("%.1f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
