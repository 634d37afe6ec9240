package troupe.core.algo.preference;

/** Double-precision loop versions of the preference losses, used only by tests. */
final class ReferencePreference {

    private ReferencePreference() {}

    static double loss(String name, PreferenceSettings s, double[] pw, double[] pl, double[] rw, double[] rl,
            double[] lw, double[] ll, double[] kp, double[] kr) {
        double beta = s.beta();
        double eps = s.labelSmoothing();
        int n = pw.length;
        double total = 0;
        if (name.equals("kto")) {
            double z0 = 0;
            for (int j = 0; j < kp.length; j++) {
                z0 += (kp[j] - kr[j]) / kp.length;
            }
            z0 = Math.max(0, z0);
            for (int i = 0; i < n; i++) {
                total += s.ktoDesirableWeight() * (1 - sigmoid(beta * ((pw[i] - rw[i]) - z0)));
                total += s.ktoUndesirableWeight() * (1 - sigmoid(beta * (z0 - (pl[i] - rl[i]))));
            }
            return total / (2 * n);
        }
        for (int i = 0; i < n; i++) {
            double h = (pw[i] - pl[i]) - (rw[i] - rl[i]);
            double ell = switch (name) {
                case "dpo" -> -Math.log(sigmoid(beta * h));
                case "cdpo" -> -(1 - eps) * Math.log(sigmoid(beta * h)) - eps * Math.log(sigmoid(-beta * h));
                case "rdpo" -> (-(1 - eps) * Math.log(sigmoid(beta * h)) + eps * Math.log(sigmoid(-beta * h))) / (1 - 2 * eps);
                case "ipo" -> {
                    double hh = s.ipoLengthNormalised() ? (pw[i] / lw[i] - pl[i] / ll[i]) - (rw[i] / lw[i] - rl[i] / ll[i]) : h;
                    yield Math.pow(hh - 1 / (2 * beta), 2);
                }
                case "simpo" -> -Math.log(sigmoid(beta * (pw[i] / lw[i] - pl[i] / ll[i]) - s.simpoGamma()));
                default -> throw new IllegalArgumentException(name);
            };
            total += ell;
        }
        return total / n;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
