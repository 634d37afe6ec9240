package troupe.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import troupe.core.engine.Prompt;
import troupe.core.engine.PromptSource;
import troupe.core.engine.ReferenceEngine;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.SamplingParams;

/** Small test doubles: prompts, reference, scorers that behave or misbehave. */
public final class Doubles {
    private Doubles() {}

    public static final SamplingParams SAMPLING = new SamplingParams(1f, 0, 1f, 8, 0, false, 1f);

    /** Prompts p0, p1, ... in order. */
    public static final class CountingPrompts implements PromptSource {
        private long position;

        @Override
        public synchronized List<Prompt> next(int count) {
            List<Prompt> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(FixedRolloutEngine.prompt((int) position++));
            }
            return out;
        }

        @Override
        public synchronized long position() {
            return position;
        }

        @Override
        public synchronized void seek(long p) {
            position = p;
        }
    }

    /** Reference log-prob -0.6 for every token. */
    public static ReferenceEngine reference() {
        return (RolloutBatch batch) -> batch.samples().stream().map(s -> {
            float[] r = new float[s.responseTokens().length];
            java.util.Arrays.fill(r, -0.6f);
            return r;
        }).toArray(float[][]::new);
    }

    /** Scores every sample with {@code value}. */
    public static RewardScorer constant(String name, float value) {
        return scorer(name, inputs -> {
            float[] out = new float[inputs.size()];
            java.util.Arrays.fill(out, value);
            return out;
        });
    }

    public static RewardScorer throwing(String name) {
        return scorer(name, inputs -> {
            throw new IllegalStateException("scorer " + name + " is broken");
        });
    }

    /** Never answers until {@code release} opens. */
    public static RewardScorer hanging(String name, CountDownLatch release) {
        return scorer(name, inputs -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new float[inputs.size()];
        });
    }

    public static RewardScorer nan(String name) {
        return scorer(name, inputs -> {
            float[] out = new float[inputs.size()];
            out[0] = Float.NaN;
            return out;
        });
    }

    public static RewardScorer wrongCount(String name) {
        return scorer(name, inputs -> new float[inputs.size() + 1]);
    }

    public static RewardScorer scorer(String name, java.util.function.Function<List<ScoreInput>, float[]> f) {
        Objective o = new Objective(name, Direction.MAXIMIZE);
        return new RewardScorer() {
            @Override
            public Objective objective() {
                return o;
            }

            @Override
            public float[] score(List<ScoreInput> batch) {
                return f.apply(batch);
            }
        };
    }
}
