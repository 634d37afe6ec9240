package troupe.core.algo;

/** Double-precision loop version of {@link LossAggregation}, used only by tests. */
public final class ReferenceAggregation {

    private ReferenceAggregation() {}

    public static double aggregate(String mode, double[][] loss, double[][] mask) {
        return aggregate(mode, loss, mask, BatchTotals.of(mask));
    }

    public static double aggregate(String mode, double[][] loss, double[][] mask, BatchTotals totals) {
        double total = 0;
        double seqMeans = 0;
        for (int i = 0; i < loss.length; i++) {
            double rowSum = 0;
            double n = 0;
            for (int t = 0; t < loss[i].length; t++) {
                if (mask[i][t] != 0) {
                    rowSum += loss[i][t];
                    n++;
                }
            }
            total += rowSum;
            seqMeans += n == 0 ? 0 : rowSum / n;
        }
        double b = Math.max(totals.sequences(), 1);
        double l = Math.max(totals.normLength(), 1);
        return switch (mode) {
            case "token-mean" -> total / Math.max(totals.tokens(), 1);
            case "seq-mean-token-mean" -> seqMeans / b;
            case "seq-mean-token-sum" -> total / b;
            case "seq-mean-token-sum-norm" -> total / l;
            case "dr-grpo" -> total / Math.max(totals.sequences() * (double) totals.normLength(), 1);
            default -> throw new IllegalArgumentException(mode);
        };
    }
}
