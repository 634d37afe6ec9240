package troupe.core.reward.code;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import troupe.core.config.ConfigReader;
import troupe.core.reward.Direction;
import troupe.core.reward.ExplainedScorer;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.RewardScorerFactory;
import troupe.core.reward.ScoreInput;

/**
 * The {@code code-execution} reward rule: the response's program (see {@link CandidateCode#extract})
 * runs in a {@link Sandbox}, then each test statement of the sample's {@code field}; the score
 * is the fraction of tests that pass, in [0, 1]. A hang, a crash, an output flood, a memory hog
 * or a fork bomb is the program's result (0, or the fraction passed before it, with the reason as
 * the outcome), never a fault, so a policy that writes infinite loops cannot get its own penalty
 * quarantined. A fault is a failure of the sandbox or interpreter, or a sample without tests.
 *
 * <p>Time: samples run {@code parallelism} at once, and the whole batch within
 * {@code batch-budget}: a sample starting with {@code r} samples not yet started gets
 * {@code min(timeout, time left / ceil(r / parallelism))}, so every sample ends before the budget
 * does, and a batch in which every program loops forever still answers before the pipeline's
 * {@code scorer-deadline}. When the budget is tight the per-sample limit shrinks (the outcome
 * then names it); a batch of working programs uses only the time it needs.
 */
public final class CodeExecutionScorer implements ExplainedScorer {

    /** Below this a run could not even start the interpreter: the sample is not run. */
    private static final long MIN_RUN_MS = 10;

    private final CodeExecutionSettings settings;
    private final Objective objective;
    private final Harness harness = new Harness();
    private final ExecutorService workers;
    private final ExecutorService io;
    private final BlockingQueue<Integer> slots;
    private final Sandbox sandbox;

    /**
     * @param keys the scorer's config block, so a failed start-up check names its key
     * @throws troupe.core.config.SettingsException when the interpreter or sandbox cannot work
     */
    public CodeExecutionScorer(CodeExecutionSettings settings, ConfigReader keys) {
        this.settings = settings;
        this.objective = new Objective(settings.objective(), Direction.MAXIMIZE,
                "fraction of the tests in '" + settings.field() + "' passed by the response's program");
        this.workers = Executors.newFixedThreadPool(settings.parallelism(), daemons("troupe-code-run"));
        this.io = Executors.newCachedThreadPool(daemons("troupe-code-io"));
        this.slots = new ArrayBlockingQueue<>(settings.parallelism());
        for (int i = 0; i < settings.parallelism(); i++) {
            slots.add(i);
        }
        try {
            this.sandbox = SandboxProbe.open(settings, keys, io, harness);
        } catch (RuntimeException e) {
            workers.shutdownNow();
            io.shutdownNow();
            throw e;
        }
    }

    @Override
    public Objective objective() {
        return objective;
    }

    @Override
    public List<Explained> explain(List<ScoreInput> batch) {
        List<List<String>> tests = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            tests.add(CandidateCode.tests(batch.get(i).metadata(), settings.field(), i)); // before any run
        }
        long end = System.nanoTime() + settings.batchBudget().toNanos();
        AtomicInteger notStarted = new AtomicInteger(batch.size());
        List<Future<Explained>> runs = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            String code = CandidateCode.extract(batch.get(i).responseText(), settings.codeBlock());
            List<String> t = tests.get(i);
            runs.add(workers.submit(() -> one(code, t, end, notStarted)));
        }
        List<Explained> out = new ArrayList<>(batch.size());
        try {
            for (Future<Explained> f : runs) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            runs.forEach(f -> f.cancel(true)); // a run still going kills its tree when interrupted
        }
        return out;
    }

    private Explained one(String code, List<String> tests, long end, AtomicInteger notStarted)
            throws IOException, InterruptedException {
        int waves = (notStarted.getAndDecrement() + settings.parallelism() - 1) / settings.parallelism();
        long left = (end - System.nanoTime()) / 1_000_000;
        long limit = Math.min(settings.timeout().toMillis(), left / waves);
        if (code.isBlank()) {
            return new Explained(0f, "no code");
        }
        if (limit < MIN_RUN_MS) {
            return new Explained(0f, "timeout (batch budget spent)");
        }
        int slot = slots.take();
        try {
            Harness.Verdict v = harness.run(sandbox, slot, code, tests, limit);
            String outcome = v.outcome();
            if (outcome.startsWith("timeout") && limit < settings.timeout().toMillis()) {
                outcome = outcome.replaceFirst("^timeout", "timeout (" + limit + " ms of the batch budget)");
            }
            return new Explained(v.score(), outcome);
        } finally {
            slots.add(slot);
        }
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Registry entry {@code "code-execution"}. */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return "code-execution";
        }

        @Override
        public RewardScorer create(ConfigReader block) {
            return new CodeExecutionScorer(CodeExecutionSettings.fromConfig(block), block);
        }
    }
}
