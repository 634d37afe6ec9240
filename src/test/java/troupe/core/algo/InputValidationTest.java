package troupe.core.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import troupe.core.algo.advantage.AdvantageInput;
import troupe.core.algo.advantage.TokenRewards;
import troupe.core.algo.dapo.DynamicSampling;
import troupe.core.algo.kl.KlEstimator;
import troupe.core.algo.kl.KlLoss;
import troupe.core.algo.kl.KlPenalty;
import troupe.core.algo.kl.KlSettings;
import troupe.core.algo.policy.EntropyBonus;
import troupe.core.algo.policy.ImportanceCorrection;
import troupe.core.algo.policy.ImportanceCorrectionSettings;
import troupe.core.algo.policy.PolicyLossInput;
import troupe.core.algo.policy.ValueLoss;
import troupe.core.algo.policy.ValueLossSettings;
import troupe.core.algo.preference.OnlinePairSelector;
import troupe.core.algo.preference.PreferenceBatch;

/**
 * One case per validated input of the maths: a NaN, an infinity or a wrong shape in each named
 * argument is rejected with a message naming that argument and where, before any arithmetic
 * (mutation testing showed that removing any of these checks broke no other test).
 */
class InputValidationTest {
    private static final double NAN = Double.NaN;
    private static final double[][] OK = {{0.1, 0.2}, {0.3, 0.4}};
    private static final double[][] MASK = {{1, 1}, {1, 0}};
    private static final double[][] NAN_AT_1_0 = {{0.1, 0.2}, {NAN, 0.4}};
    private static final double[][] THREE_COLS = {{0, 0, 0}, {0, 0, 0}};
    private static final KlSettings KL = new KlSettings("k1", "k3", 20.0, 10.0);

    private NDManager m;

    @BeforeEach
    void manager() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    private NDArray nd(double[][] x) {
        return Nd.of(m, x);
    }

    private static void rejects(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    private static String badShape(String name) {
        return name + " has shape " + new Shape(2, 3) + ", expected " + new Shape(2, 2);
    }

    @Test
    void tokenLogProbsRejectNonFiniteLogits() {
        NDArray logits = m.create(new double[] {0, 1, Double.POSITIVE_INFINITY, 2}, new Shape(1, 2, 2));
        rejects("logits contains +Inf at [0, 1, 0]", () -> TokenLogProbs.logProbs(logits, m.create(new long[][] {{0, 1}}), 1));
        rejects("logits contains +Inf at [0, 1, 0]", () -> TokenLogProbs.entropy(logits, 1));
    }

    @Test
    void aggregationAndEntropyRejectTheirInputs() {
        rejects(badShape("mask"), () -> LossAggregation.TOKEN_MEAN.aggregate(nd(OK), nd(THREE_COLS)));
        rejects("entropy contains NaN at [1, 0]",
                () -> EntropyBonus.loss(nd(NAN_AT_1_0), nd(MASK), 0.1, LossAggregation.TOKEN_MEAN, null));
    }

    @Test
    void klLossAndPenaltyRejectTheirInputs() {
        rejects(badShape("ref"), () -> KlLoss.compute(nd(OK), nd(THREE_COLS), nd(MASK), KL, 0.001, LossAggregation.TOKEN_MEAN, null));
        rejects("logp contains NaN at [1, 0]",
                () -> KlLoss.compute(nd(NAN_AT_1_0), nd(OK), nd(MASK), KL, 0.001, LossAggregation.TOKEN_MEAN, null));
        rejects("ref contains NaN at [1, 0]",
                () -> KlLoss.compute(nd(OK), nd(NAN_AT_1_0), nd(MASK), KL, 0.001, LossAggregation.TOKEN_MEAN, null));
        KlEstimator k1 = KL.rewardKl();
        rejects("ref row 0 has length 3, expected 2", () -> KlPenalty.perToken(OK, THREE_COLS, MASK, k1));
        rejects("mask row 0 has length 3, expected 2", () -> KlPenalty.perToken(OK, OK, THREE_COLS, k1));
        rejects("logp contains NaN at [1, 0]", () -> KlPenalty.perToken(NAN_AT_1_0, OK, MASK, k1));
        rejects("ref contains NaN at [1, 0]", () -> KlPenalty.perToken(OK, NAN_AT_1_0, MASK, k1));
    }

    @Test
    void advantageInputsRejectEachArgument() {
        double[] scores = {1, 0};
        int[] groups = {0, 0};
        rejects("scores contains NaN at [1]", () -> AdvantageInput.outcome(new double[] {1, NAN}, groups, MASK));
        rejects("mask has 1 rows, expected 2", () -> AdvantageInput.outcome(scores, groups, new double[][] {{1, 1}}));
        rejects("tokenRewards row 0 has length 3, expected 2",
                () -> AdvantageInput.outcome(scores, groups, MASK).withTokenRewards(THREE_COLS));
        rejects("tokenRewards contains NaN at [1, 0]",
                () -> AdvantageInput.outcome(scores, groups, MASK).withTokenRewards(NAN_AT_1_0));
        rejects("values row 0 has length 3, expected 2",
                () -> AdvantageInput.outcome(scores, groups, MASK).withValues(THREE_COLS));
        rejects("values contains NaN at [1, 0]", () -> AdvantageInput.outcome(scores, groups, MASK).withValues(NAN_AT_1_0));
        rejects("baselineScores contains -Inf at [0]", () -> new AdvantageInput(scores, groups, MASK, null, null,
                new double[] {Double.NEGATIVE_INFINITY, 0}));
        rejects("scores contains NaN at [0]", () -> TokenRewards.fromScores(new double[] {NAN, 1}, MASK));
        rejects("kl row 0 has length 3, expected 2", () -> TokenRewards.withKlPenalty(OK, THREE_COLS, 0.1, MASK));
        rejects("mask row 0 has length 3, expected 2", () -> TokenRewards.withKlPenalty(OK, OK, 0.1, THREE_COLS));
        rejects("kl contains NaN at [1, 0]", () -> TokenRewards.withKlPenalty(OK, NAN_AT_1_0, 0.1, MASK));
    }

    @Test
    void rewardFiltersRejectNonFiniteRewards() {
        rejects("rewards contains NaN at [1]", () -> OnlinePairSelector.select(new double[] {1, NAN, 0}));
        rejects("groupRewards contains NaN at [0]", () -> DynamicSampling.hasVariance(new double[] {NAN, 1}));
        rejects("scores contains +Inf at [1]",
                () -> DynamicSampling.keptIndices(new double[] {0, Double.POSITIVE_INFINITY}, new int[] {0, 0}));
    }

    @Test
    void preferenceBatchRejectsEachArgument() {
        Function<double[], NDArray> v = x -> m.create(x);
        double[] ok = {-1, -2};
        double[] nan = {-1, NAN};
        double[] three = {-1, -2, -3};
        rejects("policyChosen contains NaN at [1]", () -> PreferenceBatch.of(v.apply(nan), v.apply(ok), v.apply(ok), v.apply(ok)));
        String shape = " has shape " + new Shape(3) + ", expected " + new Shape(2);
        rejects("policyRejected" + shape, () -> PreferenceBatch.of(v.apply(ok), v.apply(three), v.apply(ok), v.apply(ok)));
        rejects("policyRejected contains NaN at [1]", () -> PreferenceBatch.of(v.apply(ok), v.apply(nan), v.apply(ok), v.apply(ok)));
        rejects("refChosen" + shape, () -> PreferenceBatch.of(v.apply(ok), v.apply(ok), v.apply(three), v.apply(ok)));
        rejects("refChosen contains NaN at [1]", () -> PreferenceBatch.of(v.apply(ok), v.apply(ok), v.apply(nan), v.apply(ok)));
        rejects("refRejected" + shape, () -> PreferenceBatch.of(v.apply(ok), v.apply(ok), v.apply(ok), v.apply(three)));
        rejects("refRejected contains NaN at [1]", () -> PreferenceBatch.of(v.apply(ok), v.apply(ok), v.apply(ok), v.apply(nan)));
        PreferenceBatch base = PreferenceBatch.of(v.apply(ok), v.apply(ok), v.apply(ok), v.apply(ok));
        rejects("chosenLengths" + shape, () -> base.withLengths(v.apply(three), v.apply(ok)));
        rejects("chosenLengths contains NaN at [1]", () -> base.withLengths(v.apply(nan), v.apply(ok)));
        rejects("rejectedLengths" + shape, () -> base.withLengths(v.apply(ok), v.apply(three)));
        rejects("rejectedLengths contains NaN at [1]", () -> base.withLengths(v.apply(ok), v.apply(nan)));
        rejects("klPolicy and klRef come together", () -> base.withKtoReference(v.apply(ok), null));
        rejects("klPolicy contains NaN at [1]", () -> base.withKtoReference(v.apply(nan), v.apply(ok)));
        rejects("klRef" + shape, () -> base.withKtoReference(v.apply(ok), v.apply(three)));
        rejects("klRef contains NaN at [1]", () -> base.withKtoReference(v.apply(ok), v.apply(nan)));
    }

    @Test
    void valueLossRejectsEachArgument() {
        ValueLossSettings s = new ValueLossSettings(0.2, LossAggregation.TOKEN_MEAN, 1.0);
        rejects(badShape("vOld"), () -> ValueLoss.compute(nd(OK), nd(THREE_COLS), nd(OK), nd(MASK), s, null));
        rejects(badShape("returns"), () -> ValueLoss.compute(nd(OK), nd(OK), nd(THREE_COLS), nd(MASK), s, null));
        rejects(badShape("mask"), () -> ValueLoss.compute(nd(OK), nd(OK), nd(OK), nd(THREE_COLS), s, null));
        rejects("vNew contains NaN at [1, 0]", () -> ValueLoss.compute(nd(NAN_AT_1_0), nd(OK), nd(OK), nd(MASK), s, null));
        rejects("vOld contains NaN at [1, 0]", () -> ValueLoss.compute(nd(OK), nd(NAN_AT_1_0), nd(OK), nd(MASK), s, null));
        rejects("returns contains NaN at [1, 0]", () -> ValueLoss.compute(nd(OK), nd(OK), nd(NAN_AT_1_0), nd(MASK), s, null));
        rejects("mask contains NaN at [1, 0]", () -> ValueLoss.compute(nd(OK), nd(OK), nd(OK), nd(NAN_AT_1_0), s, null));
    }

    @Test
    void policyLossInputRejectsEachArgument() {
        rejects(badShape("oldLogp"), () -> PolicyLossInput.of(nd(OK), nd(THREE_COLS), nd(OK), nd(MASK)));
        rejects(badShape("advantages"), () -> PolicyLossInput.of(nd(OK), nd(OK), nd(THREE_COLS), nd(MASK)));
        rejects(badShape("mask"), () -> PolicyLossInput.of(nd(OK), nd(OK), nd(OK), nd(THREE_COLS)));
        rejects("logp contains NaN at [1, 0]", () -> PolicyLossInput.of(nd(NAN_AT_1_0), nd(OK), nd(OK), nd(MASK)));
        rejects("oldLogp contains NaN at [1, 0]", () -> PolicyLossInput.of(nd(OK), nd(NAN_AT_1_0), nd(OK), nd(MASK)));
        rejects("advantages contains NaN at [1, 0]", () -> PolicyLossInput.of(nd(OK), nd(OK), nd(NAN_AT_1_0), nd(MASK)));
        rejects("mask contains NaN at [1, 0]", () -> PolicyLossInput.of(nd(OK), nd(OK), nd(OK), nd(NAN_AT_1_0)));
        rejects(badShape("isWeights"),
                () -> new PolicyLossInput(nd(OK), nd(OK), nd(OK), nd(MASK), nd(THREE_COLS), null));
        rejects("isWeights contains NaN at [1, 0]",
                () -> new PolicyLossInput(nd(OK), nd(OK), nd(OK), nd(MASK), nd(NAN_AT_1_0), null));
    }

    @Test
    void importanceCorrectionRejectsEachArgument() {
        ImportanceCorrectionSettings s = new ImportanceCorrectionSettings("token-truncate", 2.0);
        rejects("behaviourLogp row 0 has length 3, expected 2", () -> ImportanceCorrection.weights(OK, THREE_COLS, MASK, s));
        rejects("mask has 1 rows, expected 2", () -> ImportanceCorrection.weights(OK, OK, new double[][] {{1, 1}}, s));
        rejects("oldTrainerLogp contains NaN at [1, 0]", () -> ImportanceCorrection.weights(NAN_AT_1_0, OK, MASK, s));
        rejects("behaviourLogp contains NaN at [1, 0]", () -> ImportanceCorrection.weights(OK, NAN_AT_1_0, MASK, s));
    }
}
