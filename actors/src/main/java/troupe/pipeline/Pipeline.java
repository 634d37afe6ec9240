package troupe.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.stream.typed.javadsl.ActorSource;
import troupe.cluster.bulk.BulkChannel;
import troupe.config.PipelineSettings;
import troupe.core.engine.PromptSource;
import troupe.core.engine.RolloutRequest;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.SamplingParams;
import troupe.roles.Generator;
import troupe.roles.Learner;
import troupe.roles.ReferenceKl;

/**
 * The data plane as one Pekko Streams graph:
 *
 * <pre>
 * permits ─► prompts ─► generate (pool) ─► buffer ─► reward fan-out ─► reference KL ─► learner
 * </pre>
 *
 * Every stage is bounded — {@code mapAsync} parallelism, an explicit buffer and a sink buffer
 * of one; the graph is fused, so there are no hidden async-boundary buffers — and the learner
 * acknowledges a batch only after training it, so a slow learner slows sampling. Admission is
 * driven by the learner's permits, which bound the batches in flight by {@code max-policy-lag + 1}.
 * Batch ids are assigned in admission order and {@code mapAsync} keeps order, so the learner
 * trains batches in id order. A batch that fails generation or the reference stage is reported
 * lost to the learner, which re-admits one; a scorer failure never loses a batch. A generator on
 * another node answers with a handle, and the batch's bytes come over the {@link BulkChannel}.
 */
public final class Pipeline {
    private Pipeline() {}

    /** The actors the graph talks to. */
    public record Stages(ActorRef<RolePool.Command<Generator.Command>> generators,
            ActorRef<RewardCoordinator.Command> rewards, ActorRef<RolePool.Command<ReferenceKl.Command>> reference,
            ActorRef<Learner.Command> learner) {}

    /** What the graph needs besides the actors. */
    public record Inputs(String runId, long seed, long firstBatchId, PromptSource prompts, SamplingParams sampling) {}

    /**
     * The admission source, materialized ahead so its ref can be handed to the learner. Its
     * buffer only ever holds granted-but-unused permits, at most {@code max-policy-lag + 1}; more
     * would be a bug in the learner, so overflow fails the stream loudly.
     */
    public static Pair<ActorRef<Learner.Permit>, Source<Learner.Permit, NotUsed>> permits(
            ActorSystem<?> system, PipelineSettings settings) {
        return ActorSource.<Learner.Permit>actorRef(p -> p instanceof Learner.PermitsClosed, p -> Optional.empty(),
                        settings.maxPolicyLag() + 2, OverflowStrategy.fail())
                .preMaterialize(system);
    }

    /** Runs the graph; completes after the permits close and the last batch reached the learner. */
    public static CompletionStage<Done> run(Source<Learner.Permit, NotUsed> permits, Inputs in, Stages stages,
            PipelineSettings s, ActorSystem<?> system) {
        ActorRef<Learner.Command> learner = stages.learner();
        Source<RolloutBatch, NotUsed> generated = permits
                .filter(p -> p instanceof Learner.PermitGranted)
                .zipWithIndex()
                // The permit names the learner's version; the generator samples once it holds it.
                .map(p -> Pair.create(request(in, in.firstBatchId() + p.second(), s),
                        ((Learner.PermitGranted) p.first()).policyVersion()))
                .mapAsync(s.generatorParallelism(), p -> AskPattern.<RolePool.Command<Generator.Command>,
                                Generator.GenerateReply>ask(stages.generators(),
                                r -> new RolePool.Route<>(new Generator.Generate(p.first(), p.second(), r)),
                                s.generateTimeout(), system.scheduler())
                        .thenCompose(reply -> received(reply, system))
                        .handle((reply, err) -> reply instanceof Generator.BatchGenerated ok ? Optional.of(ok.batch())
                                : lost(p.first().batchId(), reply instanceof Generator.GenerationFailed f ? f.reason()
                                        : "generate: " + err, learner)))
                .filter(Optional::isPresent)
                .map(Optional::get);
        Source<RolloutBatch, NotUsed> buffered = s.bufferSize() > 0
                ? generated.buffer(s.bufferSize(), OverflowStrategy.backpressure()) : generated;
        // The aggregator answers within one scorer deadline; the second one is slack for scheduling.
        Duration rewardTimeout = s.scorerDeadline().multipliedBy(2);
        return buffered
                .mapAsync(s.rewardParallelism(), batch -> AskPattern.<RewardCoordinator.Command,
                                RewardCoordinator.BatchScored>ask(stages.rewards(),
                                r -> new RewardCoordinator.ScoreBatch(batch, r), rewardTimeout, system.scheduler())
                        .handle((scored, err) -> scored != null ? Optional.of(scored.batch())
                                : lost(batch.batchId(), "reward stage: " + err, learner)))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .mapAsync(s.referenceParallelism(), batch -> AskPattern.<RolePool.Command<ReferenceKl.Command>,
                                ReferenceKl.ReferenceReply>ask(stages.reference(),
                                r -> new RolePool.Route<>(new ReferenceKl.ComputeReference(batch, r)),
                                s.referenceTimeout(),
                                system.scheduler())
                        .handle((reply, err) -> referenced(batch, reply, err, learner)))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .watchTermination(Keep.right())
                .to(ActorSink.<RolloutBatch, Learner.Command, Learner.BatchHandled>actorRefWithBackpressure(learner,
                                (ackTo, batch) -> new Learner.Train(batch, ackTo),
                                Learner.StreamStarted::new,
                                new Learner.BatchHandled(),
                                new Learner.StreamCompleted(),
                                Learner.StreamFailed::new)
                        // The sink otherwise pulls up to 16 batches ahead of the learner's acks.
                        .addAttributes(Attributes.inputBuffer(1, 1)))
                .run(system);
    }

    /** A batch offered by a generator on another node, fetched over the bulk channel; other replies as they are. */
    public static CompletionStage<Generator.GenerateReply> received(Generator.GenerateReply reply, ActorSystem<?> system) {
        if (!(reply instanceof Generator.BatchOffered offered)) {
            return CompletableFuture.completedFuture(reply);
        }
        return BulkChannel.get(system).fetch(offered.batch(), RolloutBatch.class).thenApply(b -> {
            if (b.batchId() != offered.batchId()) {
                throw new IllegalStateException("bulk handle " + offered.batch() + " held batch " + b.batchId()
                        + ", not " + offered.batchId());
            }
            return new Generator.BatchGenerated(b);
        });
    }

    private static RolloutRequest request(Inputs in, long batchId, PipelineSettings s) {
        return new RolloutRequest(in.runId(), batchId, in.prompts().next(s.promptsPerStep()), s.groupSize(),
                in.sampling().withSeed(batchSeed(in.seed(), batchId)));
    }

    /** One seed per batch, derived from the run seed (golden-ratio mixing): reruns sample the same tokens. */
    public static long batchSeed(long runSeed, long batchId) {
        return runSeed ^ (batchId * 0x9E3779B97F4A7C15L);
    }

    /** The batch with its reference log-probs, or reported lost (failed, timed out, or answered for another batch). */
    private static Optional<RolloutBatch> referenced(RolloutBatch batch, ReferenceKl.ReferenceReply reply,
            Throwable err, ActorRef<Learner.Command> learner) {
        if (reply instanceof ReferenceKl.ReferenceComputed ok) {
            try {
                return Optional.of(ok.applyTo(batch));
            } catch (IllegalArgumentException e) {
                return lost(batch.batchId(), "reference: " + e.getMessage(), learner);
            }
        }
        return lost(batch.batchId(), reply instanceof ReferenceKl.ReferenceFailed f ? f.reason()
                : "reference: " + err, learner);
    }

    /** The batch will not reach the learner: tell it, so it re-admits one, and emit nothing. */
    private static Optional<RolloutBatch> lost(long batchId, String reason, ActorRef<Learner.Command> learner) {
        learner.tell(new Learner.ReportLost(batchId, reason));
        return Optional.empty();
    }
}
