package troupe.pipeline;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.stream.javadsl.Sink;
import troupe.core.engine.ReferenceEngine;
import troupe.testing.CountingLearnerEngine;
import troupe.testing.Doubles;
import troupe.testing.FixedRolloutEngine;
import troupe.testing.TestConfig;

/**
 * The pipeline's scheduling alone: the embedded run with stand-in engines that sleep for given
 * stage costs instead of computing, so no stage competes for a core and the machine's load barely
 * matters. Sync (lag 0) against the sum of the costs is the actor and stream overhead; async
 * (lag 1) against sync is how much overlap the permits allow — its ceiling is the sum over the
 * slowest stage. A command, not a test (BENCHMARKS.md, "Pipeline: overhead and async"):
 *
 * <pre>
 * ./mvnw -B -q install -DskipTests -pl actors -am
 * java -cp "actors/target/test-classes:actors/target/troupe-actors-0.1.0-SNAPSHOT.jar:actors/target/lib/*" \
 *   troupe.pipeline.ScheduleBench GENERATE_MS REFERENCE_MS LEARN_MS [STEPS]
 * </pre>
 */
public final class ScheduleBench {
    private ScheduleBench() {}

    public static void main(String[] args) throws Exception {
        long generate = Long.parseLong(args[0]);
        long reference = Long.parseLong(args[1]);
        long learn = Long.parseLong(args[2]);
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int warmup = 2;
        double sum = (generate + reference + learn) / 1000.0;
        double sync = 0;
        for (int lag = 0; lag <= 1; lag++) {
            Config cfg = TestConfig.run(Files.createTempDirectory("schedule-bench"),
                    "troupe.run.steps = " + steps + "\ntroupe.pipeline.max-policy-lag = " + lag);
            ReferenceEngine ref = sleeping(reference, Doubles.reference());
            Run run = Run.start(cfg, TestConfig.settings(cfg), "schedule-lag" + lag, new Run.Components(
                    new Doubles.CountingPrompts(), Doubles.SAMPLING, List.of(new FixedRolloutEngine().delay(generate)),
                    ref, new CountingLearnerEngine().delay(learn), List.of(Doubles.constant("x", 1f))));
            var seen = run.events().runWith(Sink.seq(), run.system());
            run.result().toCompletableFuture().join();
            double total = 0;
            int n = 0;
            for (var e : seen.toCompletableFuture().join()) {
                if (e.getStep() > warmup) {
                    total += e.getThroughput().getStepSeconds();
                    n++;
                }
            }
            run.close();
            double step = total / n;
            if (lag == 0) {
                sync = step;
                System.out.printf("sync (lag 0): %.3f s/step, stage costs sum to %.3f: overhead %+.1f%%%n", step, sum,
                        100 * (step / sum - 1));
            } else {
                System.out.printf("async (lag 1): %.3f s/step: %.2fx sync (ceiling %.2fx)%n", step, sync / step,
                        sum / (Math.max(learn, Math.max(generate, reference)) / 1000.0));
            }
        }
        System.exit(0);
    }

    private static ReferenceEngine sleeping(long millis, ReferenceEngine inner) {
        return batch -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return inner.referenceLogprobs(batch);
        };
    }
}
