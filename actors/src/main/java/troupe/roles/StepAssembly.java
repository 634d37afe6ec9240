package troupe.roles;

import java.util.Optional;
import org.slf4j.Logger;
import troupe.core.algo.dapo.DynamicSamplingSettings;
import troupe.core.rl.DynamicSampler;
import troupe.core.rollout.RolloutBatch;

/**
 * How the {@link Learner} turns arriving batches into steps: one batch per step, or with DAPO
 * dynamic sampling as many as the {@link DynamicSampler} needs, each accounted in the
 * {@link BatchLedger} when the step trains. Owned by the learner; not thread-safe.
 */
final class StepAssembly {

    /** A step ready to train: the batch, and how it was assembled (empty = one batch as it came). */
    record Step(RolloutBatch batch, Optional<DynamicSampler.Stats> assembled) {}

    private final DynamicSampler sampler;
    private final BatchLedger ledger;
    private final Logger log;

    StepAssembly(Optional<DynamicSamplingSettings> dynamicSampling, int groupsPerStep, BatchLedger ledger,
            Logger log) {
        this.sampler = dynamicSampling.map(d -> new DynamicSampler(d, groupsPerStep)).orElse(null);
        this.ledger = ledger;
        this.log = log;
    }

    /** The step {@code batch} completes as step number {@code step}, or empty when it needs more batches. */
    Optional<Step> offer(RolloutBatch batch, long step) {
        if (sampler == null) {
            return Optional.of(new Step(batch, Optional.empty()));
        }
        DynamicSampler.Outcome outcome = sampler.offer(batch);
        if (outcome instanceof DynamicSampler.Waiting w) {
            log.info("batch {} filtered into step {}: {} of {} groups kept so far", batch.batchId(), step,
                    w.groupsKept(), w.groupsTarget());
            return Optional.empty();
        }
        DynamicSampler.Ready ready = (DynamicSampler.Ready) outcome;
        return Optional.of(new Step(ready.batch(), Optional.of(ready.stats())));
    }

    /** Ledger lines of trained step {@code step}: the completing batch, and the batches filtered into it before. */
    void trained(RolloutBatch completing, Step s, long step) {
        s.assembled().ifPresent(a -> a.parts().stream().filter(p -> p.batchId() != completing.batchId())
                .forEach(p -> ledger.filtered(p.batchId(), step, p.policyVersion(), p.groupsKept(), p.groups())));
        ledger.trained(completing.batchId(), step, completing.policyVersion());
        s.assembled().filter(DynamicSampler.Stats::capReached).ifPresent(a -> {
            if (a.groupsKept() == 0) {
                log.warn("step {}: no group of {} batches had signal; trained on batch {} as it came", step,
                        a.parts().size(), completing.batchId());
            } else {
                log.warn("step {} trained on {} of {} groups: max-num-gen-batches reached", step, a.groupsKept(),
                        a.groupsTarget());
            }
        });
    }

    /** At the run's end: batches absorbed into a step that never filled are not trained (a resume re-samples them). */
    void finish(long nextStep) {
        if (sampler != null && !sampler.pending().isEmpty()) {
            log.info("batches {} were filtered into step {}, which did not fill before the run ended; not trained",
                    sampler.pending().stream().map(DynamicSampler.Part::batchId).toList(), nextStep);
        }
    }
}
