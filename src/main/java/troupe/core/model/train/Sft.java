package troupe.core.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.PaddedBatch;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.PromptFormat;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.hf.TokenizerIo;
import troupe.core.model.scoring.PolicyLogProbs;

/**
 * Supervised fine-tuning behind {@code troupe sft}: loss = mean NLL over completion tokens only
 * (EOS included), prompt tokens masked out; AdamW with warmup + cosine; writes an HF folder.
 */
public final class Sft {

    private Sft() {
    }

    public static SftResult run(SftOptions o) throws IOException {
        List<SftData.Example> examples = SftData.read(o.data());
        try (NDManager root = NDManager.newBaseManager()) {
            CausalLm lm;
            TextTokenizer tok;
            if (o.baseModel() != null) {
                lm = HfFolder.loadModel(o.baseModel(), root);
                tok = TokenizerIo.load(o.baseModel(), lm.config());
            } else {
                tok = new ByteTokenizer();
                ModelConfig cfg = ModelConfig.demo(o.newModelType(), ByteTokenizer.VOCAB, tok.bosId(), tok.eosId(),
                        tok.padId());
                lm = CausalLms.random(cfg, root, o.seed());
            }
            int maxLen = Math.min(o.maxLength(), lm.config().maxPositions());
            List<int[][]> encoded = new ArrayList<>();
            for (SftData.Example e : examples) {
                encoded.add(fit(PromptFormat.prompt(tok, e.prompt()), PromptFormat.completion(tok, e.completion()), maxLen));
            }
            int perEpoch = (encoded.size() + o.batchSize() - 1) / o.batchSize();
            int total = o.maxSteps() > 0 ? o.maxSteps() : o.epochs() * perEpoch;
            OptimizerSettings opt = o.optimizer().totalSteps() > 0 ? o.optimizer()
                    : o.optimizer().withSchedule(o.optimizer().learningRate(), o.optimizer().warmupSteps(), total);
            try (TrainablePolicy policy = new TrainablePolicy(lm, null, opt, root); tok) {
                SftResult r = train(policy, encoded, total, o);
                HfFolder.save(o.output(), policy.model(), tok);
                return r;
            }
        }
    }

    private static SftResult train(TrainablePolicy policy, List<int[][]> data, int total, SftOptions o) {
        Random random = new Random(o.seed());
        List<Integer> order = new ArrayList<>();
        long tokens = 0;
        double first = Double.NaN;
        double loss = Double.NaN;
        long start = System.nanoTime();
        int fill = policy.model().config().fillTokenId();
        for (int step = 1; step <= total; step++) {
            int[][] prompts = new int[o.batchSize()][];
            int[][] completions = new int[o.batchSize()][];
            for (int i = 0; i < o.batchSize(); i++) {
                if (order.isEmpty()) {
                    for (int j = 0; j < data.size(); j++) {
                        order.add(j);
                    }
                    Collections.shuffle(order, random);
                }
                int[][] ex = data.get(order.remove(order.size() - 1));
                prompts[i] = ex[0];
                completions[i] = ex[1];
                tokens += ex[0].length + ex[1].length;
            }
            PaddedBatch batch = PaddedBatch.of(prompts, completions, fill);
            try (NDManager m = policy.newStepManager(); GradientCollector gc = policy.newGradientCollector()) {
                PolicyLogProbs out = PolicyLogProbs.compute(policy.model(), batch, 1.0, m);
                NDArray nll = out.logprobs().mul(out.mask()).sum().neg().div(out.mask().sum());
                gc.backward(nll);
                loss = nll.getFloat();
            }
            policy.step();
            if (step == 1) {
                first = loss;
            }
            if (o.progress() != null && (step % Math.max(1, o.logEvery()) == 0 || step == total)) {
                double secs = (System.nanoTime() - start) / 1e9;
                o.progress().accept(new SftOptions.SftProgress(step, total, loss, tokens / secs,
                        secs / step * (total - step)));
            }
        }
        return new SftResult(total, first, loss, tokens, (System.nanoTime() - start) / 1e9, o.output());
    }

    /** Keeps prompt + completion within {@code maxLen}: completion cut first, then the prompt's head. */
    static int[][] fit(int[] prompt, int[] completion, int maxLen) {
        if (prompt.length >= maxLen) {
            prompt = Arrays.copyOfRange(prompt, prompt.length - (maxLen - 1), prompt.length);
        }
        if (prompt.length + completion.length > maxLen) {
            completion = Arrays.copyOf(completion, maxLen - prompt.length);
        }
        return new int[][] {prompt, completion};
    }
}
