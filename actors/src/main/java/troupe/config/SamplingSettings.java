package troupe.config;

import com.typesafe.config.Config;
import troupe.core.config.ConfigReader;
import troupe.core.rollout.SamplingParams;

/** The {@code troupe.sampling} block: how generators sample. */
public record SamplingSettings(double temperature, int topK, double topP, int maxNewTokens,
        double learnerTemperature) {

    public static SamplingSettings fromConfig(Config config) {
        ConfigReader r = ConfigReader.at(config, "troupe.sampling");
        return new SamplingSettings(
                r.doubleAbove("temperature", 0, 100),
                r.intIn("top-k", 0, 1_000_000),
                r.doubleAbove("top-p", 0, 1),
                r.intIn("max-new-tokens", 1, 1_000_000),
                r.doubleAbove("learner-temperature", 0, 100));
    }

    /** The run's sampling parameters; the pipeline derives each batch's seed from {@code seed} and the batch id. */
    public SamplingParams params(long seed) {
        return new SamplingParams((float) temperature, topK, (float) topP, maxNewTokens, seed, false,
                (float) learnerTemperature);
    }
}
