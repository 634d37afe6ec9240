package troupe.core.reward.rm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import troupe.core.model.CausalLm;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.hf.TokenizerIo;
import troupe.core.model.train.OptimizerSettings;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.model.ValueHead;

/**
 * Reward-model training behind {@code troupe train-rm}: a {@link ValueHead} on a decoder
 * ({@link RewardModel}), decoder and head trained together with AdamW on the
 * {@link BradleyTerry} loss −log σ(r(x, y_w) − r(x, y_l)). A seeded share of the pairs is held
 * out and scored after training (pairwise accuracy). Chosen and rejected sequences of a batch go
 * through one forward of 2·B rows.
 */
public final class RmTrainer {

    /** Sequences per forward when scoring the held-out pairs. */
    private static final int SCORE_BATCH = 64;

    private RmTrainer() {
    }

    public static RmTrainResult run(RmTrainOptions o) throws IOException {
        List<PreferenceData.Pair> pairs = new ArrayList<>(PreferenceData.read(o.pairs()));
        Collections.shuffle(pairs, new Random(o.seed()));
        int held = Math.min(pairs.size() - 1, Math.max(1, (int) Math.round(o.heldOutFraction() * pairs.size())));
        List<PreferenceData.Pair> heldOut = pairs.subList(0, held);
        List<PreferenceData.Pair> train = pairs.subList(held, pairs.size());
        try (NDManager root = NDManager.newBaseManager()) {
            CausalLm lm = HfFolder.loadModel(o.startModel(), root);
            TextTokenizer tok = TokenizerIo.load(o.startModel(), lm.config());
            ValueHead head = new ValueHead(lm.config().hiddenSize(), root, o.seed());
            OptimizerSettings opt = o.optimizer().totalSteps() > 0 ? o.optimizer()
                    : o.optimizer().withSchedule(o.optimizer().learningRate(), o.optimizer().warmupSteps(), o.steps());
            try (TrainablePolicy policy = new TrainablePolicy(lm, head, opt, root); tok) {
                RewardModel rm = new RewardModel(lm, head, tok, o.maxLength());
                long start = System.nanoTime();
                double[] losses = train(rm, policy, train, o, start);
                double seconds = (System.nanoTime() - start) / 1e9;
                double accuracy = accuracy(rm, heldOut, root);
                RewardModelFolder.save(o.output(), rm);
                return new RmTrainResult(o.steps(), losses[0], losses[1], train.size(), heldOut.size(), accuracy,
                        seconds, o.output());
            }
        }
    }

    /** Runs the optimizer loop; returns {first loss, last loss}. */
    private static double[] train(RewardModel rm, TrainablePolicy policy, List<PreferenceData.Pair> data,
                                  RmTrainOptions o, long start) {
        List<int[][]> encoded = new ArrayList<>(data.size());
        for (PreferenceData.Pair p : data) {
            encoded.add(new int[][] {rm.encode(p.prompt(), p.chosen()), rm.encode(p.prompt(), p.rejected())});
        }
        Random random = new Random(o.seed());
        List<Integer> order = new ArrayList<>();
        int b = o.batchSize();
        double first = Double.NaN;
        double loss = Double.NaN;
        for (int step = 1; step <= o.steps(); step++) {
            int[][] seqs = new int[2 * b][];
            for (int i = 0; i < b; i++) {
                if (order.isEmpty()) {
                    for (int j = 0; j < encoded.size(); j++) {
                        order.add(j);
                    }
                    Collections.shuffle(order, random);
                }
                int[][] pair = encoded.get(order.remove(order.size() - 1));
                seqs[i] = pair[0]; // rows [0, B): chosen
                seqs[b + i] = pair[1]; // rows [B, 2B): rejected
            }
            float[] r;
            try (NDManager m = policy.newStepManager(); GradientCollector gc = policy.newGradientCollector()) {
                NDArray rewards = rm.rewards(seqs, m); // [2B]
                NDArray l = BradleyTerry.loss(rewards.get("0:" + b), rewards.get(b + ":"));
                gc.backward(l);
                loss = l.getFloat();
                r = rewards.toFloatArray();
            }
            policy.step();
            if (step == 1) {
                first = loss;
            }
            if (o.progress() != null && (step % Math.max(1, o.logEvery()) == 0 || step == o.steps())) {
                double secs = (System.nanoTime() - start) / 1e9;
                o.progress().accept(new RmTrainOptions.Progress(step, o.steps(), loss,
                        BradleyTerry.accuracy(java.util.Arrays.copyOfRange(r, 0, b),
                                java.util.Arrays.copyOfRange(r, b, 2 * b)),
                        secs / step * (o.steps() - step)));
            }
        }
        return new double[] {first, loss};
    }

    /** Pairwise accuracy of {@code rm} on {@code pairs}. */
    static double accuracy(RewardModel rm, List<PreferenceData.Pair> pairs, NDManager manager) {
        List<String> prompts = pairs.stream().map(PreferenceData.Pair::prompt).toList();
        float[] chosen = rm.score(prompts, pairs.stream().map(PreferenceData.Pair::chosen).toList(), SCORE_BATCH,
                manager);
        float[] rejected = rm.score(prompts, pairs.stream().map(PreferenceData.Pair::rejected).toList(), SCORE_BATCH,
                manager);
        return BradleyTerry.accuracy(chosen, rejected);
    }
}
