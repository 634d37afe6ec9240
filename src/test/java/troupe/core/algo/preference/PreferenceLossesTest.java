package troupe.core.algo.preference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;
import troupe.core.algo.Nd;
import troupe.core.TestSettings;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

class PreferenceLossesTest {

    // §5: policy (w, l) = (−10, −12), reference (−11, −11), h = 2; lengths (20, 10)
    private static double loss(String name, PreferenceSettings s) {
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceBatch b = PreferenceBatch.of(Nd.vec(m, -10), Nd.vec(m, -12), Nd.vec(m, -11), Nd.vec(m, -11))
                    .withLengths(Nd.vec(m, 20), Nd.vec(m, 10));
            return Nd.scalar(PreferenceLosses.create(new PreferenceSettings(name, s.beta(), s.labelSmoothing(),
                    s.ipoLengthNormalised(), s.simpoGamma(), s.ktoDesirableWeight(), s.ktoUndesirableWeight())).compute(b).loss());
        }
    }

    @Test
    void dpoFamilyMatchesSection5Example() {
        PreferenceSettings s = TestSettings.preference(); // β = 0.1, ε = 0.1 (reference.conf)
        assertEquals(0.598139, loss("dpo", s), 1e-6);
        assertEquals(0.618139, loss("cdpo", s), 1e-6);
        assertEquals(0.573139, loss("rdpo", s), 1e-6);
    }

    @Test
    void ipoOnSumsAndLengthNormalised() {
        assertEquals(9.0, loss("ipo", TestSettings.preference().withIpoLengthNormalised(false)), 1e-12);
        assertEquals(23.5225, loss("ipo", TestSettings.preference().withIpoLengthNormalised(true)), 1e-12);
    }

    @Test
    void simpoMatchesSection5Example() {
        assertEquals(0.513015, loss("simpo", TestSettings.preference().withBeta(2).withSimpoGamma(1)), 1e-6);
    }

    @Test
    void tensorLossesMatchDoubleReferenceOverRandomPairs() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int seed = 0; seed < 8; seed++) {
                Random rnd = new Random(seed);
                int n = 1 + rnd.nextInt(6);
                double[] pw = new double[n], pl = new double[n], rw = new double[n], rl = new double[n];
                double[] lw = new double[n], ll = new double[n], kp = new double[3], kr = new double[3];
                for (int i = 0; i < n; i++) {
                    pw[i] = -20 * rnd.nextDouble();
                    pl[i] = -20 * rnd.nextDouble();
                    rw[i] = -20 * rnd.nextDouble();
                    rl[i] = -20 * rnd.nextDouble();
                    lw[i] = 1 + rnd.nextInt(30);
                    ll[i] = 1 + rnd.nextInt(30);
                }
                for (int j = 0; j < 3; j++) {
                    kp[j] = -10 * rnd.nextDouble();
                    kr[j] = -10 * rnd.nextDouble();
                }
                PreferenceBatch b = PreferenceBatch.of(Nd.vec(m, pw), Nd.vec(m, pl), Nd.vec(m, rw), Nd.vec(m, rl))
                        .withLengths(Nd.vec(m, lw), Nd.vec(m, ll)).withKtoReference(Nd.vec(m, kp), Nd.vec(m, kr));
                PreferenceSettings s = TestSettings.preference().withBeta(0.05 + rnd.nextDouble())
                        .withLabelSmoothing(0.3 * rnd.nextDouble()).withIpoLengthNormalised(rnd.nextBoolean());
                for (String name : PreferenceLosses.REGISTRY.names()) {
                    PreferenceSettings named = new PreferenceSettings(name, s.beta(), s.labelSmoothing(),
                            s.ipoLengthNormalised(), s.simpoGamma(), s.ktoDesirableWeight(), s.ktoUndesirableWeight());
                    double expected = ReferencePreference.loss(name, named, pw, pl, rw, rl, lw, ll, kp, kr);
                    double actual = Nd.scalar(PreferenceLosses.create(named).compute(b).loss());
                    assertEquals(expected, actual, 1e-10 * Math.max(1, Math.abs(expected)), name + " seed " + seed);
                }
            }
        }
    }

    @Test
    void unknownLossListsSupportedNamesAndConfigSelects() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreferenceLosses.create(TestSettings.preference().withLoss("orpo")));
        assertTrue(e.getMessage().endsWith("supported: dpo, cdpo, rdpo, ipo, simpo, kto"), e.getMessage());
        SettingsException c = assertThrows(SettingsException.class,
                () -> PreferenceSettings.fromConfig(preference("loss = orpo")));
        assertEquals("troupe.learner.preference.loss", c.key());
        assertTrue(c.getMessage().contains("[dpo, cdpo, rdpo, ipo, simpo, kto]"), c.getMessage());
        assertTrue(PreferenceLosses.create(PreferenceSettings.fromConfig(preference("loss = simpo"))) instanceof SimpoLoss);
    }

    /** The reference {@code preference} block with {@code hocon} over it. */
    private static ConfigReader preference(String hocon) {
        return ConfigReader.of(ConfigFactory.parseString(hocon).withFallback(TestSettings.learner("preference").raw()),
                "troupe.learner.preference");
    }

    @Test
    void nanLogProbRaisesNamingTheTensor() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreferenceBatch.of(
                    Nd.vec(m, -1, -2), Nd.vec(m, -1, Double.NaN), Nd.vec(m, -1, -1), Nd.vec(m, -1, -1)));
            assertEquals("policyRejected contains NaN at [1]", e.getMessage());
        }
    }
}
