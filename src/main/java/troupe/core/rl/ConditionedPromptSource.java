package troupe.core.rl;

import java.util.ArrayList;
import java.util.List;
import troupe.core.algo.preference.RewardConditioning;
import troupe.core.engine.Prompt;
import troupe.core.engine.PromptSource;
import troupe.core.model.hf.PromptFormat;
import troupe.core.model.hf.TextTokenizer;

/**
 * Reward-augmented generation (arXiv 2410.08067): every prompt of {@code inner} conditioned on
 * the best score. Only the tokens change — re-rendered with {@link PromptFormat#prompt}, as the
 * learner renders the conditioned pairs — and the text stays the task's, so scorers and the
 * learner see the plain prompt. Position and seek are the inner source's.
 */
final class ConditionedPromptSource implements PromptSource {
    private final PromptSource inner;
    private final RewardConditioning conditioning;
    private final double target;
    private final TextTokenizer tokenizer;

    ConditionedPromptSource(PromptSource inner, RewardConditioning conditioning, double target,
            TextTokenizer tokenizer) {
        this.inner = inner;
        this.conditioning = conditioning;
        this.target = target;
        this.tokenizer = tokenizer;
    }

    @Override
    public List<Prompt> next(int count) {
        List<Prompt> out = new ArrayList<>(count);
        for (Prompt p : inner.next(count)) {
            out.add(new Prompt(p.id(), p.text(), PromptFormat.prompt(tokenizer, conditioning.render(p.text(), target)),
                    p.task(), p.metadata()));
        }
        return out;
    }

    @Override
    public long position() {
        return inner.position();
    }

    @Override
    public void seek(long position) {
        inner.seek(position);
    }
}
