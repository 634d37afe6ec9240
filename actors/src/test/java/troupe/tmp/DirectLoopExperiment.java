package troupe.tmp;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import troupe.config.TroupeConfig;
import troupe.config.TroupeSettings;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.StepResult;
import troupe.core.reward.SafeScoring;
import troupe.core.reward.ScoringRound;
import troupe.core.rollout.RolloutBatch;
import troupe.pipeline.LocalEngines;
import troupe.pipeline.Run;

class DirectLoopExperiment {
    @Test
    void run() throws Exception {
        Config c = ConfigFactory.parseFile(new java.io.File("/tmp/demo5.conf"))
                .withFallback(ConfigFactory.parseString("troupe.learner.optimizer.learning-rate = " + System.getProperty("lr", "1e-4")))
                .withFallback(TroupeConfig.reference()).resolve();
        c = ConfigFactory.parseString("troupe.learner.optimizer.learning-rate = " + System.getProperty("lr", "1e-4")).withFallback(c).resolve();
        TroupeSettings s = TroupeSettings.fromConfig(c);
        var pool = Executors.newCachedThreadPool();
        try (LocalEngines e = LocalEngines.load(c, s, Path.of("/work/main/models/base-reverse"))) {
            Run.Components k = e.components();
            double acc = 0;
            for (int step = 1; step <= 60; step++) {
                RolloutBatch b = k.generators().get(0).generate(new RolloutRequest("x", step,
                        k.prompts().next(16), 8, k.sampling().withSeed(step)));
                b = ScoringRound.of(SafeScoring.runAll(k.scorers(), ScoringRound.inputsOf(b), Duration.ofSeconds(30), pool)).applyTo(b);
                b = b.withReferenceLogprobs(k.reference().referenceLogprobs(b));
                StepResult r = k.learner().train(step, b);
                k.generators().get(0).applyWeights(r.weights());
                acc += r.objectives().get(0).rawMean();
                if (step % 10 == 0) {
                    System.out.println("EXP step " + step + " mean10 " + acc / 10 + " KL " + r.kl().tokenMean() + " len " + r.lengths().responseMean());
                    acc = 0;
                }
            }
        }
    }
}
