package troupe.core.prompts;

import java.util.Optional;
import troupe.core.model.hf.ChatTemplate;
import troupe.core.model.hf.PromptFormat;
import troupe.core.model.hf.TextTokenizer;

/**
 * How a dataset line becomes what the policy sees. With a chat template, the line's messages (a
 * plain prompt as one user message) are rendered with {@code add_generation_prompt} and the text
 * is tokenised as it stands: the template writes every special token itself, BOS included
 * (Llama 3's begins with {@code <|begin_of_text|>}), so adding BOS again would train on a
 * sequence the model never saw — the double-BOS pitfall. The tokenizer maps the special tokens'
 * text to their ids (added tokens are matched before the model's pre-tokenizer). Without a
 * template, a plain prompt is formatted like every other Troupe prompt ({@link PromptFormat}:
 * BOS, when the tokenizer has one, then the text); messages need a template.
 */
public final class PromptRenderer {
    private final TextTokenizer tokenizer;
    private final ChatTemplate template;

    public PromptRenderer(TextTokenizer tokenizer, Optional<ChatTemplate> template) {
        this.tokenizer = tokenizer;
        this.template = template.orElse(null);
    }

    /**
     * The prompt text of a line.
     *
     * @throws IllegalArgumentException when the line has messages and there is no template, or the
     *     template fails on it
     */
    public String text(PromptLine line) {
        if (template != null) {
            try {
                return template.render(line.chat());
            } catch (ChatTemplate.RenderException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        if (line.messages() != null) {
            throw new IllegalArgumentException("'messages' need a chat template and the model folder has none"
                    + " (give one with --chat-template FILE, or write {\"prompt\": …} lines)");
        }
        return line.prompt();
    }

    /** Token ids of a rendered prompt (see the class comment for BOS). */
    public int[] tokens(String text) {
        return template != null ? tokenizer.encode(text) : PromptFormat.prompt(tokenizer, text);
    }

    public Optional<ChatTemplate> template() {
        return Optional.ofNullable(template);
    }
}
