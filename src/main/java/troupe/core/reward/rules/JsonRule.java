package troupe.core.reward.rules;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.RewardScorerFactory;
import troupe.core.reward.ScoreInput;

/**
 * {@code json}: the response is strict JSON (RFC 8259, one value, nothing after it). The text
 * parsed is the last fenced {@code ```json} (or untagged) block when there is one, else the whole
 * response. With {@code keys}, the value must be an object holding them: {@code score = all} gives
 * 1 only when every key is present, {@code score = fraction} the share present. Without keys: 1
 * when it parses, else 0.
 */
public final class JsonRule extends RuleScorer {

    public static final String NAME = "json";
    private static final TypeAdapter<JsonElement> ELEMENT = new Gson().getAdapter(JsonElement.class);
    private static final int MAX_NESTING = 512;

    /** How keys count. */
    public enum KeyScore { ALL, FRACTION }

    /**
     * Defaults in {@code troupe.rewards.defaults.json} (reference.conf).
     *
     * @param objective objective name
     * @param keys top-level keys the object must have; empty = any JSON value
     * @param score ALL (1/0) or FRACTION (share of keys present)
     */
    public record Settings(String objective, List<String> keys, KeyScore score) {
        public Settings {
            keys = List.copyOf(keys);
        }

        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("objective", "keys", "score"));
            return new Settings(Rules.objective(r), r.stringList("keys"), r.enumOf("score", KeyScore.class));
        }
    }

    private final Settings settings;

    public JsonRule(Settings settings) {
        super(new Objective(settings.objective(), Direction.MAXIMIZE, settings.keys().isEmpty()
                ? "1 when the response is JSON" : "JSON object with keys " + settings.keys()));
        this.settings = settings;
    }

    @Override
    protected Explained explainOne(ScoreInput in) {
        String text = Extract.lastFence(in.responseText(), "json").orElse(in.responseText());
        JsonElement value;
        try {
            value = parse(text);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return fail("invalid json: " + shortened(reason(e), 60));
        }
        if (settings.keys().isEmpty()) {
            return pass("parsed");
        }
        if (!value.isJsonObject()) {
            return fail("not a JSON object");
        }
        JsonObject object = value.getAsJsonObject();
        List<String> missing = new ArrayList<>();
        settings.keys().stream().filter(k -> !object.has(k)).forEach(missing::add);
        int present = settings.keys().size() - missing.size();
        if (missing.isEmpty()) {
            return pass("parsed, all " + present + " keys");
        }
        float score = settings.score() == KeyScore.FRACTION ? (float) present / settings.keys().size() : 0f;
        return new Explained(score, "missing keys " + shortened(missing.toString(), 60));
    }

    /** One strict JSON value filling the text (whitespace aside). */
    static JsonElement parse(String text) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        reader.setNestingLimit(MAX_NESTING);
        JsonElement e = ELEMENT.read(reader);
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new IOException("text after the JSON value");
        }
        return e;
    }

    private static String reason(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "nested too deeply";
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceFirst("^[\\w.]+(Exception|Error): ", "").replaceFirst("\\s*See https://\\S+$", "");
    }

    /** Registry entry {@code "json"}. */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public RewardScorer create(ConfigReader block) {
            return new JsonRule(Settings.fromConfig(block));
        }
    }
}
