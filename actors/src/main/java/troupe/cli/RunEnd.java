package troupe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import troupe.bench.PeakRss;
import troupe.config.TroupeSettings;
import troupe.pipeline.DataPrompts;
import troupe.pipeline.Run;
import troupe.pipeline.TrainedModel;

/**
 * The end of a run, the same for `troupe run` and a learner `troupe node`: the policy saved as
 * {@code <output-dir>/<run-id>/final/} (a Hugging Face folder), the summary (result, metrics log,
 * last checkpoint, model), the held-out before/after table ({@link HeldOutSummary}) and the
 * process's peak RSS. The "before" half is decoded from the folder the run started from.
 */
final class RunEnd {
    private final TroupeSettings s;
    private final TrainedModel trained;
    private final Path startModel;

    /** @param startModel the policy folder the run started from (troupe.run.model) */
    RunEnd(TroupeSettings s, TrainedModel trained, Path startModel) {
        this.s = s;
        this.trained = trained;
        this.startModel = startModel;
    }

    /** `troupe run`'s first summary line. */
    static String headline(Run.Result r, long plannedSteps) {
        return String.format("run %s: %d steps%s, policy v%d, %d stale batches dropped, %d lost", r.runId(), r.steps(),
                r.steps() < plannedSteps ? " (stopped early)" : "", r.policyVersion(), r.staleBatchesDropped(),
                r.lostBatches());
    }

    /**
     * The held-out numbers of the starting policy; null when the table is skipped: a resumed run
     * (its starting policy is not the run's), {@code troupe.run.heldout-prompts = 0}, or a prompt
     * file with nothing held out.
     */
    HeldOutSummary.Table before(Optional<Path> resumedFrom) throws IOException {
        return s.run().heldOutPrompts() > 0 && resumedFrom.isEmpty() ? heldOut(startModel) : null;
    }

    private HeldOutSummary.Table heldOut(Path policy) throws IOException {
        Optional<DataPrompts> data = trained.data();
        if (data.isPresent()) {
            DataPrompts d = data.get();
            return d.eval().isEmpty() ? null : HeldOutSummary.evaluate(policy, d.eval(), trained.runScorers(),
                    s.sampling().temperature(), s.sampling().maxNewTokens(), s.run().seed());
        }
        return HeldOutSummary.evaluate(policy, trained.task(), s.run().heldOutPrompts(), s.sampling().temperature(),
                s.sampling().maxNewTokens(), s.run().seed());
    }

    /** Saves {@code final/}, prints the summary and, given {@code before}, the held-out table. */
    void finish(PrintWriter out, String headline, Run.Result r, HeldOutSummary.Table before) throws IOException {
        Path finalModel = s.run().outputDir().resolve(r.runId()).resolve("final");
        trained.saveModel(finalModel);
        out.println(headline);
        out.printf("metrics    %s%n", r.metricsFile());
        r.lastCheckpoint().ifPresent(c -> out.printf("checkpoint %s%n", c));
        out.printf("model      %s%n", finalModel);
        HeldOutSummary.Table after = before == null ? null : heldOut(finalModel);
        if (before instanceof HeldOutSummary.ObjectiveScores b && after instanceof HeldOutSummary.ObjectiveScores a) {
            HeldOutSummary.print(out, trained.data().orElseThrow().eval().size(), b, a);
        } else if (before instanceof HeldOutSummary.Scores b && after instanceof HeldOutSummary.Scores a) {
            HeldOutSummary.print(out, s.run().heldOutPrompts(), b, a);
        }
        // The whole process's high-water mark (what /usr/bin/time reports), after the held-out decode.
        PeakRss.megabytes().ifPresent(mb -> out.printf("%npeak RSS %d MB%n", mb));
        out.flush();
    }

    /**
     * The summary of a run stopped by SIGTERM: no {@code final/} and no held-out table, which would
     * outlast a pod's grace period on a real model; the shutdown checkpoint holds the policy.
     */
    static void stopped(PrintWriter out, String headline, Run.Result r) {
        out.println(headline + " (stopped by SIGTERM)");
        out.printf("metrics    %s%n", r.metricsFile());
        r.lastCheckpoint().ifPresent(c -> out.printf("checkpoint %s (troupe eval/generate --model read it; "
                + "--resume continues it)%n", c));
        out.flush();
    }
}
