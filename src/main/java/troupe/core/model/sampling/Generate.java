package troupe.core.model.sampling;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.List;
import troupe.core.model.CausalLm;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.PromptFormat;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.hf.TokenizerIo;

/** Entry point behind {@code troupe generate}: load a folder, sample one completion. */
public final class Generate {

    private Generate() {
    }

    public static GenerateResult run(GenerateOptions o) throws IOException {
        try (NDManager root = NDManager.newBaseManager();
             CausalLm lm = HfFolder.loadModel(o.modelDir(), root);
             TextTokenizer tok = TokenizerIo.load(o.modelDir(), lm.config())) {
            int[] prompt = o.prompt() != null ? PromptFormat.prompt(tok, o.prompt()) : o.promptIds();
            long start = System.nanoTime();
            List<Completion> out = Sampler.generate(lm, new int[][] {prompt}, o.sampling(), root);
            double seconds = (System.nanoTime() - start) / 1e9;
            Completion c = out.get(0);
            return new GenerateResult(tok.decode(c.tokens()), prompt, c.tokens(), c.samplerLogprobs(),
                    c.learnerLogprobs(), c.truncated(), seconds);
        }
    }
}
