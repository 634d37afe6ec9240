package troupe.core.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.rollout.RolloutBatch;

/**
 * The Gram matrix of per-objective policy gradients that gradient-based weighting (ALGORITHMS.md
 * §6b, Lu et al. arXiv 2509.11452) needs: G[k][j] = ⟨g_k, g_j⟩ where g_k is the gradient of the
 * policy loss with the advantages of objective k alone, flattened over the parameters whose names
 * match a pattern (the authors use a band of middle layers). Costs one backward pass per
 * objective; gradients are zeroed before and after so the training step starts clean.
 */
final class GradientGram {

    /** One objective's loss on the whole batch, built inside an open gradient collector. */
    interface LossForObjective {
        NDArray loss(int objective, NDManager manager);
    }

    private GradientGram() {}

    /** Each objective's raw scores, signed so that larger is better: [K][N], the per-objective rewards g_k reads. */
    static double[][] objectiveColumns(RolloutBatch batch) {
        int k = batch.objectives().size();
        double[][] columns = new double[k][batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            for (int j = 0; j < k; j++) {
                columns[j][i] = batch.objectives().get(j).direction().sign() * batch.samples().get(i).rewards()[j];
            }
        }
        return columns;
    }

    static double[][] compute(TrainablePolicy policy, Pattern parameters, int objectives, LossForObjective loss) {
        List<NDArray> selected = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : policy.trainable().entrySet()) {
            if (parameters.matcher(e.getKey()).find()) {
                selected.add(e.getValue());
            }
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("troupe.learner.gram-parameters matches no parameter: " + parameters);
        }
        zero(policy);
        double[][] g = new double[objectives][];
        for (int k = 0; k < objectives; k++) {
            try (NDManager m = policy.newStepManager(); GradientCollector gc = policy.newGradientCollector()) {
                gc.backward(loss.loss(k, m));
            }
            g[k] = flatten(selected);
            zero(policy);
        }
        double[][] gram = new double[objectives][objectives];
        for (int i = 0; i < objectives; i++) {
            for (int j = i; j < objectives; j++) {
                double dot = 0;
                for (int t = 0; t < g[i].length; t++) {
                    dot += g[i][t] * g[j][t];
                }
                gram[i][j] = dot;
                gram[j][i] = dot;
            }
        }
        return gram;
    }

    private static double[] flatten(List<NDArray> params) {
        int n = 0;
        List<float[]> parts = new ArrayList<>(params.size());
        for (NDArray p : params) {
            try (NDArray grad = p.getGradient()) {
                float[] f = grad.toFloatArray();
                parts.add(f);
                n += f.length;
            }
        }
        double[] out = new double[n];
        int off = 0;
        for (float[] f : parts) {
            for (float v : f) {
                out[off++] = v;
            }
        }
        return out;
    }

    private static void zero(TrainablePolicy policy) {
        for (NDArray p : policy.trainable().values()) {
            if (p.hasGradient()) {
                try (NDArray grad = p.getGradient()) {
                    grad.set(new NDIndex("..."), 0f);
                }
            }
        }
    }
}
