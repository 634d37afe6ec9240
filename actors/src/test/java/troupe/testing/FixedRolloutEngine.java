package troupe.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import troupe.core.engine.Prompt;
import troupe.core.engine.RolloutEngine;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.WeightUpdate;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.StageTiming;

/**
 * Test double: every response is the tokens {@code [1, 2, 3]} with fixed log-probs. Counts
 * batches, can be slowed or held on a latch, and records any weight update that overlapped a
 * generate call (which the Generator actor must never allow).
 */
public final class FixedRolloutEngine implements RolloutEngine {
    public static final int[] RESPONSE = {1, 2, 3};

    public final AtomicInteger generated = new AtomicInteger();
    public final AtomicInteger overlaps = new AtomicInteger();
    public final List<Long> appliedVersions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean generating = new AtomicBoolean();
    private volatile long version;
    private volatile long delayMillis;
    private volatile CountDownLatch hold;
    /** Every n-th update is ignored (silently kept at the old version); 0 = apply all. */
    private volatile int ignoreEveryNth;
    private int updates;

    public FixedRolloutEngine delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    /** The next generate calls block until the latch opens. */
    public FixedRolloutEngine holdUntil(CountDownLatch latch) {
        this.hold = latch;
        return this;
    }

    public FixedRolloutEngine ignoreEveryNthUpdate(int n) {
        this.ignoreEveryNth = n;
        return this;
    }

    @Override
    public RolloutBatch generate(RolloutRequest request) {
        generating.set(true);
        try {
            long v = version;
            sleep();
            List<Sample> samples = new ArrayList<>();
            for (int j = 0; j < request.prompts().size(); j++) {
                Prompt p = request.prompts().get(j);
                for (int g = 0; g < request.groupSize(); g++) {
                    samples.add(Sample.sampled(p.id(), j, p.tokens(), RESPONSE.clone(), new float[] {-0.5f, -0.5f, -0.5f},
                            new float[] {-0.4f, -0.4f, -0.4f}, false, p.text(), "r" + g, p.task(), p.metadata()));
                }
            }
            RolloutBatch b = RolloutBatch.sampled(request.runId(), request.batchId(), v, request.sampling(), samples,
                    new StageTiming("generate", delayMillis, ""));
            generated.incrementAndGet();
            return b;
        } finally {
            generating.set(false);
        }
    }

    private void sleep() {
        try {
            CountDownLatch h = hold;
            if (h != null && !h.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("held too long");
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void applyWeights(WeightUpdate update) {
        if (generating.get()) {
            overlaps.incrementAndGet();
        }
        updates++;
        if (ignoreEveryNth > 0 && updates % ignoreEveryNth == 0) {
            return;
        }
        version = update.version();
        appliedVersions.add(update.version());
    }

    @Override
    public long policyVersion() {
        return version;
    }

    /** Prompt helper shared by tests. */
    public static Prompt prompt(int i) {
        return new Prompt("p" + i, "prompt " + i, new int[] {10 + i % 50}, "test", Map.of("answer", "" + i));
    }
}
