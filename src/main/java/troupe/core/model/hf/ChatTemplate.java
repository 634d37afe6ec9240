package troupe.core.model.hf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import troupe.core.model.ModelFormatException;

/**
 * A Hugging Face chat template: the Jinja text of {@code tokenizer_config.json}'s
 * {@code chat_template} (or a model folder's {@code chat_template.jinja}, or a user's file),
 * rendered the way {@code transformers}' {@code apply_chat_template} does it: an environment with
 * {@code trim_blocks} and {@code lstrip_blocks}, the variables {@code messages},
 * {@code add_generation_prompt = true}, {@code bos_token} and {@code eos_token}, the functions
 * {@code raise_exception(msg)} and {@code strftime_now(fmt)} (Llama 3.1+ dates its system prompt)
 * and the {@code tojson} filter (jinjava's own).
 *
 * <p>The rendered text already holds every special token the model was trained with, BOS
 * included when the template writes it (Llama 3's starts with {@code bos_token}); it is
 * tokenised as it stands, never with another BOS in front (see {@code PromptFormat}).
 */
public final class ChatTemplate {
    /** Folder file that holds the template in newer {@code transformers} exports. */
    public static final String JINJA_FILE = "chat_template.jinja";
    public static final String CONFIG_FILE = "tokenizer_config.json";

    /** One chat turn; role is {@code system}, {@code user} or {@code assistant}. */
    public record Message(String role, String content) {
        public Message {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(content, "content");
        }
    }

    /** A template that failed to render (a {@code raise_exception}, a syntax error). */
    public static final class RenderException extends RuntimeException {
        RenderException(String message) {
            super(message);
        }
    }

    private final String source;
    private final String origin;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;

    public ChatTemplate(String source, String origin, String bosToken, String eosToken) {
        this.source = Objects.requireNonNull(source, "source");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build());
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "strftime_now", ChatTemplate.class, "strftimeNow", String.class));
    }

    /**
     * The template of a model folder: {@value #JINJA_FILE} if present, else the
     * {@code chat_template} of {@value #CONFIG_FILE} (a string, or a list of named templates of
     * which {@code default} is taken); empty when the folder has none.
     */
    public static Optional<ChatTemplate> fromFolder(Path dir) throws IOException {
        Path jinja = dir.resolve(JINJA_FILE);
        JsonObject config = config(dir);
        if (Files.isRegularFile(jinja)) {
            return Optional.of(withTokens(Files.readString(jinja), jinja.toString(), config));
        }
        if (config == null || !config.has("chat_template") || config.get("chat_template").isJsonNull()) {
            return Optional.empty();
        }
        Path file = dir.resolve(CONFIG_FILE);
        return Optional.of(withTokens(templateText(config.get("chat_template"), file), file.toString(), config));
    }

    /** A template from a user's file, with the special tokens of {@code modelDir}'s tokenizer config. */
    public static ChatTemplate fromFile(Path file, Path modelDir) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("no chat template file at " + file);
        }
        return withTokens(Files.readString(file), file.toString(), config(modelDir));
    }

    /** Renders the conversation and the header of the assistant's turn ({@code add_generation_prompt}). */
    public String render(List<Message> messages) {
        List<Map<String, Object>> list = new ArrayList<>(messages.size());
        for (Message m : messages) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("role", m.role());
            one.put("content", m.content());
            list.add(one);
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("messages", list);
        vars.put("add_generation_prompt", true);
        vars.put("bos_token", bosToken);
        vars.put("eos_token", eosToken);
        RenderResult r = jinjava.renderForResult(source, vars);
        for (TemplateError e : r.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new RenderException("chat template " + origin + ": " + message(e));
            }
        }
        return r.getOutput();
    }

    /** Where the template came from (a file path), for messages. */
    public String origin() {
        return origin;
    }

    public String bosToken() {
        return bosToken;
    }

    /** {@code raise_exception(msg)} of the templates: stops rendering with the template's own message. */
    public static String raiseException(String message) {
        throw new RenderException(message);
    }

    /** {@code strftime_now(fmt)}: the local time with a Python strftime format. */
    public static String strftimeNow(String format) {
        return Strftime.format(format, ZonedDateTime.now());
    }

    private static String message(TemplateError e) {
        Throwable cause = e.getException();
        while (cause != null && !(cause instanceof RenderException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RenderException re) {
            return re.getMessage();
        }
        return e.getMessage() + (e.getLineno() > 0 ? " (template line " + e.getLineno() + ")" : "");
    }

    private static ChatTemplate withTokens(String source, String origin, JsonObject config) {
        return new ChatTemplate(source, origin, token(config, "bos_token"), token(config, "eos_token"));
    }

    private static JsonObject config(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG_FILE);
        return Files.isRegularFile(file) ? JsonFiles.object(file) : null;
    }

    /** A special token of the config: a string, an AddedToken object ({@code {"content": …}}) or null. */
    private static String token(JsonObject config, String key) {
        JsonElement e = config == null ? null : config.get(key);
        if (e == null || e.isJsonNull()) {
            return "";
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        if (e.isJsonObject() && e.getAsJsonObject().has("content")
                && e.getAsJsonObject().get("content").isJsonPrimitive()) {
            return e.getAsJsonObject().get("content").getAsString();
        }
        throw new ModelFormatException(CONFIG_FILE + ": '" + key + "' must be a string or {\"content\": …}");
    }

    private static String templateText(JsonElement e, Path file) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        if (e.isJsonArray()) { // [{"name": "default", "template": …}, {"name": "tool_use", …}]
            for (JsonElement named : e.getAsJsonArray()) {
                if (named.isJsonObject() && named.getAsJsonObject().has("name")
                        && "default".equals(named.getAsJsonObject().get("name").getAsString())
                        && named.getAsJsonObject().has("template")) {
                    return named.getAsJsonObject().get("template").getAsString();
                }
            }
            throw new ModelFormatException(file + ": 'chat_template' lists no template named \"default\"");
        }
        throw new ModelFormatException(file + ": 'chat_template' must be a string or a list of named templates");
    }
}
