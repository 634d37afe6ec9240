package troupe.core.weighting;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;

/**
 * What the learner hands a {@link WeightingStrategy} each step.
 *
 * @param objectives the batch's reward columns (faulted scorers absent), K of them
 * @param rewards raw scores [N][K], column k in the units of {@code objectives.get(k)} (not sign-flipped)
 * @param groupIds [N]; samples of the same prompt share an id
 * @param validation held-out per-objective means of the current policy by objective name, raw
 *     units; empty when not measured this step (hypervolume-guided needs it)
 * @param gradientGram [K][K] Gram matrix ⟨g_k, g_j⟩ of per-objective policy gradients, in the order
 *     of {@code objectives}; null when not computed (mirror descent needs it)
 */
public record WeightingInput(List<Objective> objectives, double[][] rewards, long[] groupIds,
        Map<String, Double> validation, double[][] gradientGram) {

    public WeightingInput {
        objectives = List.copyOf(objectives);
        validation = validation == null ? Map.of() : Map.copyOf(validation);
        int k = objectives.size();
        if (groupIds.length != rewards.length) {
            throw new IllegalArgumentException(groupIds.length + " group ids for " + rewards.length + " samples");
        }
        for (int i = 0; i < rewards.length; i++) {
            if (rewards[i].length != k) {
                throw new IllegalArgumentException("sample " + i + " has " + rewards[i].length + " rewards for " + k
                        + " objectives");
            }
        }
        if (gradientGram != null) {
            if (gradientGram.length != k) {
                throw new IllegalArgumentException("gradient Gram has " + gradientGram.length + " rows for " + k
                        + " objectives");
            }
            for (double[] row : gradientGram) {
                if (row.length != k) {
                    throw new IllegalArgumentException("gradient Gram must be " + k + "x" + k);
                }
            }
        }
    }

    public static WeightingInput of(List<Objective> objectives, double[][] rewards, long[] groupIds) {
        return new WeightingInput(objectives, rewards, groupIds, Map.of(), null);
    }

    /** The scored batch's objectives, reward rows and group ids. */
    public static WeightingInput of(RolloutBatch batch) {
        double[][] rewards = new double[batch.size()][];
        long[] groups = new long[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Sample s = batch.samples().get(i);
            rewards[i] = new double[s.rewards().length];
            for (int k = 0; k < rewards[i].length; k++) {
                rewards[i][k] = s.rewards()[k];
            }
            groups[i] = s.groupId();
        }
        return of(batch.objectives(), rewards, groups);
    }

    public WeightingInput withValidation(Map<String, Double> heldOutMeans) {
        return new WeightingInput(objectives, rewards, groupIds, heldOutMeans, gradientGram);
    }

    public WeightingInput withGradientGram(double[][] gram) {
        return new WeightingInput(objectives, rewards, groupIds, validation, gram);
    }

    public int size() {
        return rewards.length;
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(objectives.size());
        objectives.forEach(o -> names.add(o.name()));
        return names;
    }

    /** Rewards with minimised objectives sign-flipped, so that larger is better in every column. [N][K] */
    public double[][] oriented() {
        double[][] out = new double[rewards.length][objectives.size()];
        for (int i = 0; i < rewards.length; i++) {
            for (int k = 0; k < objectives.size(); k++) {
                out[i][k] = objectives.get(k).direction().sign() * rewards[i][k];
            }
        }
        return out;
    }
}
