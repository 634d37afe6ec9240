package troupe.cli;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import troupe.config.TroupeSettings;
import troupe.pipeline.EmbeddedRunControl;
import troupe.pipeline.LocalEngines;
import troupe.pipeline.Run;

/**
 * The job {@code troupe run} runs — engines loaded from the policy folder, {@link Run#start},
 * the gRPC server and dashboard of {@link RunServers} on the run's hub — held open for a
 * benchmark that ends it itself ({@code bench soak}, {@code bench subscribers}): it trains until
 * {@link #stop}, then {@link #close} releases the servers, the run and the engines, in that order.
 */
final class EmbeddedJob implements AutoCloseable {
    private final LocalEngines engines;
    private final Run run;
    private final EmbeddedRunControl control;
    private final RunServers servers;
    private final AtomicLong step = new AtomicLong();

    private EmbeddedJob(LocalEngines engines, Run run, EmbeddedRunControl control, RunServers servers) {
        this.engines = engines;
        this.run = run;
        this.control = control;
        this.servers = servers;
    }

    /**
     * Starts the job as {@code troupe run} would; {@code withServers} false leaves gRPC and the
     * dashboard unbound. On a failure to start, whatever was started is released.
     */
    static EmbeddedJob start(Config merged, TroupeSettings s, String runId, Path model, boolean withServers,
            PrintWriter err) throws IOException {
        LocalEngines engines = LocalEngines.load(merged, s, model);
        Run run = null;
        try {
            run = Run.start(merged, s, runId, engines.components());
            EmbeddedRunControl control = new EmbeddedRunControl(run, s, engines.components().scorers());
            EmbeddedJob job = new EmbeddedJob(engines, run, control,
                    withServers ? RunServers.start(run, control, s, merged, err) : null);
            run.events().runForeach(e -> job.step.set(e.getStep()), run.system());
            return job;
        } catch (IOException | RuntimeException e) {
            if (run != null) {
                run.close();
            }
            engines.close();
            throw e;
        }
    }

    Run run() {
        return run;
    }

    /** The servers, or null when started without them. */
    RunServers servers() {
        return servers;
    }

    /** The last learner step published (0 before the first). */
    long step() {
        return step.get();
    }

    boolean ended() {
        return run.result().toCompletableFuture().isDone();
    }

    /**
     * Asks the learner to stop after its current step (no checkpoint first) unless the run has
     * ended; returns the steps it trained. A failed run's error is thrown here.
     */
    long stop() {
        CompletableFuture<Run.Result> result = run.result().toCompletableFuture();
        if (!result.isDone()) {
            control.stop(false);
        }
        return result.join().steps();
    }

    @Override
    public void close() {
        try (engines; run) {
            if (servers != null) {
                servers.close();
            }
        }
    }
}
