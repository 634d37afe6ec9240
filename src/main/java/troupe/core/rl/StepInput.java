package troupe.core.rl;

import java.util.List;
import java.util.Optional;
import troupe.core.algo.BatchTotals;
import troupe.core.algo.preference.OnlinePairSelector.Pair;
import troupe.core.model.scoring.TokenScores;

/**
 * What one learner step trains on, one record per mode: the arrays its micro-batch losses read,
 * host-side [N][L] (masked positions 0). The mode is the type, so no field stands for "absent":
 * policy gradient, pairwise preference, the SFT step of RAFT (kept samples) and the listwise
 * step of PRO (ranked groups).
 */
sealed interface StepInput {

    /** The padded batch the step trains on. */
    LearnerBatch batch();

    /** Temperature the training forward divides the logits by (the sampler's). */
    double temperature();

    /** Rows, pairs, …: what micro-batches are cut from. */
    int items();

    /** Items per micro-batch, from {@code troupe.learner.micro-batch} (sequences per forward). */
    int itemsPerMicroBatch(int microBatch);

    /**
     * Policy gradient over token advantages: clipped surrogate (or plain PG), plus β·KL when KL
     * is a loss term, plus the entropy bonus, plus the critic's value loss when there is one.
     *
     * @param old the ratio's denominator
     * @param advantages [N][L]
     * @param importance old/behaviour correction of an off-policy batch
     * @param klLossBeta β of the KL loss term; 0 = no term (also when KL is in the reward)
     * @param totals the whole step's token totals each micro-batch's loss is aggregated under
     * @param critic the value loss's targets (gae); empty without a critic
     */
    record PolicyGradient(LearnerBatch batch, double temperature, OldLogProbs old, double[][] advantages,
            Importance importance, double klLossBeta, BatchTotals totals, Optional<ValueTargets> critic)
            implements StepInput {
        @Override
        public int items() {
            return batch.size();
        }

        @Override
        public int itemsPerMicroBatch(int microBatch) {
            return microBatch;
        }
    }

    /**
     * Chosen/rejected pairs of one prompt's group (online DPO and the other preference losses).
     *
     * @param gold a gold score per batch row (the scalar reward the pairs were chosen by), for the
     *     idealised ranking accuracy; null when the pairs have none
     */
    record PairwisePreference(LearnerBatch batch, double temperature, List<Pair> pairs, double[] gold)
            implements StepInput {
        PairwisePreference(LearnerBatch batch, double temperature, List<Pair> pairs) {
            this(batch, temperature, pairs, null);
        }

        /** Gold scores of pairs [from, to): chosen then rejected, or null without gold. */
        double[][] gold(int from, int to) {
            if (gold == null) {
                return null;
            }
            double[][] out = new double[2][to - from];
            for (int i = from; i < to; i++) {
                out[0][i - from] = gold[pairs.get(i).chosen()];
                out[1][i - from] = gold[pairs.get(i).rejected()];
            }
            return out;
        }

        @Override
        public int items() {
            return pairs.size();
        }

        /** A pair is two sequences. */
        @Override
        public int itemsPerMicroBatch(int microBatch) {
            return Math.max(1, microBatch / 2);
        }
    }

    /**
     * RAFT: the samples the selection kept, trained by token-mean NLL.
     *
     * @param rows kept rows of {@code batch}, ascending
     * @param tokens their real response tokens, the NLL's denominator over the whole step
     */
    record KeptSamples(LearnerBatch batch, double temperature, int[] rows, double tokens) implements StepInput {
        @Override
        public int items() {
            return rows.length;
        }

        @Override
        public int itemsPerMicroBatch(int microBatch) {
            return microBatch;
        }
    }

    /** PRO: each prompt's group ranked by scalar reward, trained by the listwise loss and the SFT term. */
    record RankedGroups(LearnerBatch batch, double temperature, List<RankedGroup> groups) implements StepInput {
        @Override
        public int items() {
            return groups.size();
        }

        /** A group is all its sequences, in one forward. */
        @Override
        public int itemsPerMicroBatch(int microBatch) {
            int largest = groups.stream().mapToInt(g -> g.rows().length).max().orElse(1);
            return Math.max(1, microBatch / largest);
        }
    }

    /** One group of ≥ 2: its rows best first and their scalar rewards, descending. */
    record RankedGroup(int[] rows, double[] rewards) {}

    /** The clipped value loss's inputs: the critic's values at the start of the step and its targets, [N][L]. */
    record ValueTargets(double[][] oldValues, double[][] returns) {}

    /** Where the policy ratio's old log-probs come from. */
    sealed interface OldLogProbs {
        /** Per-sample scores of the policy before the update (health metrics, and the KL metric's log-probs). */
        List<TokenScores> scores();

        /**
         * The old log-probs as [N][L] before the update, for what reads them then (KL in the
         * reward, the critic, the weighting's gradient Gram).
         *
         * @throws IllegalStateException in a single pass, which nothing that reads them allows
         */
        double[][] beforeUpdate();

        /** Scored in a forward of their own before the update: {@code logp} [N][L] from {@code scores}. */
        record Scored(List<TokenScores> scores, double[][] logp) implements OldLogProbs {
            @Override
            public double[][] beforeUpdate() {
                return logp;
            }
        }

        /**
         * Old = the current parameters: each micro-batch's training forward gives them, detached
         * (TRL's {@code per_token_logps.detach()} when num_iterations = 1), and appends its
         * per-token scores to {@code scores} in row order.
         */
        record FromForward(List<TokenScores> scores) implements OldLogProbs {
            @Override
            public double[][] beforeUpdate() {
                throw new IllegalStateException("single pass: the old log-probs exist only after the training forward");
            }
        }
    }

    /** Importance correction old/behaviour of a batch the learner's own distribution did not sample (§9). */
    sealed interface Importance {
        /** On-policy: no correction. */
        record None() implements Importance {}

        /** Weights over the whole batch, [N][L], from the scored old log-probs. */
        record Weights(double[][] weights) implements Importance {}

        /** With {@link OldLogProbs.FromForward}: each micro-batch weighs its rows by its own forward's log-probs. */
        record FromForward() implements Importance {}
    }
}
