package troupe.core.reward.rules;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import troupe.core.reward.ScorerRegistry;
import troupe.core.reward.ScorerSpec;

/**
 * One {@code --reward NAME[:key=value,…]} of the command line (TRL's {@code reward_funcs}): a
 * scorer declared with its defaults and the keys it changes, appended to
 * {@code troupe.rewards.scorers}.
 *
 * <p>Values: {@code true}/{@code false} are booleans, decimal literals numbers, {@code "…"} a
 * JSON string (for commas, brackets or leading spaces), {@code [a;b]} or {@code [a,b]} a list of
 * such scalars, anything else the text itself ({@code pattern=\d+}). Pairs split at commas outside
 * quotes and brackets ({@code []}, {@code {}}), so {@code pattern=\d{1,3}} is one value; a
 * backslash keeps the next character from splitting. {@code name=X} names the objective (the
 * {@code objective} key of the scorer's block).
 *
 * @param scorer registry name or plugin class
 * @param settings the keys set, in order ({@code name} already renamed {@code objective})
 * @param text the option as written, for messages
 */
public record RewardOption(String scorer, Map<String, Object> settings, String text) {

    /** A malformed {@code --reward}: the message quotes the option. */
    public static final class BadSpec extends IllegalArgumentException {
        BadSpec(String text, String problem) {
            super("--reward '" + text + "': " + problem);
        }
    }

    private static final Pattern SCORER = Pattern.compile("[A-Za-z0-9_.$-]{1,200}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d{1,3})?");
    private static final String OBJECTIVE = "objective";

    public RewardOption {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * Parses one option.
     *
     * @throws BadSpec naming the option and what is wrong with it
     */
    public static RewardOption parse(String text) {
        int colon = text.indexOf(':');
        String scorer = (colon < 0 ? text : text.substring(0, colon)).strip();
        if (!SCORER.matcher(scorer).matches()) {
            throw new BadSpec(text, "expected NAME[:key=value,...], NAME a registered reward or a class name");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String pair : split(text, text.substring(colon + 1), ",", true)) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new BadSpec(text, "expected key=value, found '" + pair.strip()
                            + "' (quote a value holding commas: pattern=\"a,b\")");
                }
                String key = pair.substring(0, eq).strip();
                if (!KEY.matcher(key).matches()) {
                    throw new BadSpec(text, "'" + key + "' is not a setting name");
                }
                key = key.equals("name") ? OBJECTIVE : key;
                String raw = pair.substring(eq + 1).strip();
                Object value = value(text, raw);
                if (key.equals(OBJECTIVE) && !(value instanceof String)) {
                    if (value instanceof List) {
                        throw new BadSpec(text, "an objective name is one word, found '" + raw + "'");
                    }
                    value = raw; // name=2024 names objective "2024"
                }
                if (settings.put(key, value) != null) {
                    throw new BadSpec(text, "'" + key + "' is set twice");
                }
            }
        }
        return new RewardOption(scorer, settings, text);
    }

    /** The declaration, keyed {@code --reward NAME}: a bad setting reads "--reward numeric.rel-tol: …". */
    public ScorerSpec spec() {
        return new ScorerSpec(scorer, block(), "--reward " + scorer);
    }

    /** The settings as a config block. */
    public Config block() {
        return ConfigValueFactory.fromMap(settings).toConfig(); // keys are path elements, not paths
    }

    /**
     * The run's {@code troupe.rewards.scorers} with {@code options} appended. Each appended entry
     * names its objective: {@code name=} as given, else the scorer's name, suffixed -2, -3, … while
     * an earlier scorer already fills that objective (its {@code objective}, else its defaults').
     *
     * @param merged the run's config over the reference (read for the declared scorers and
     *     {@code troupe.rewards.defaults})
     * @throws BadSpec when a {@code name=} is taken by an earlier scorer
     */
    public static ConfigValue appendTo(Config merged, List<RewardOption> options) {
        List<Object> entries = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (ScorerSpec s : ScorerRegistry.configured(merged)) {
            entries.add(s.settings().withValue("scorer", ConfigValueFactory.fromAnyRef(s.scorer())).root());
            taken.add(objectiveOf(merged, s.scorer(), s.settings()));
        }
        for (RewardOption o : options) {
            Map<String, Object> entry = new LinkedHashMap<>(o.settings());
            String objective;
            if (entry.get(OBJECTIVE) instanceof String named) {
                if (taken.contains(named)) {
                    throw new BadSpec(o.text(), "objective '" + named + "' is already declared");
                }
                objective = named;
            } else {
                objective = o.scorer();
                for (int n = 2; taken.contains(objective); n++) {
                    objective = o.scorer() + "-" + n;
                }
            }
            taken.add(objective);
            entry.put(OBJECTIVE, objective);
            entry.put("scorer", o.scorer());
            entries.add(ConfigValueFactory.fromMap(entry));
        }
        return ConfigValueFactory.fromIterable(entries);
    }

    private static String objectiveOf(Config merged, String scorer, Config settings) {
        if (settings.hasPath(OBJECTIVE)) {
            return settings.getValue(OBJECTIVE).unwrapped().toString();
        }
        String defaults = ScorerRegistry.DEFAULTS + "." + ConfigUtil.joinPath(scorer) + "." + OBJECTIVE;
        return merged.hasPath(defaults) ? merged.getValue(defaults).unwrapped().toString() : scorer;
    }

    private static Object value(String text, String v) {
        if (v.startsWith("[")) {
            if (!v.endsWith("]") || v.length() < 2) {
                throw new BadSpec(text, "a list is written [a;b], found '" + v + "'");
            }
            String inner = v.substring(1, v.length() - 1);
            List<Object> items = new ArrayList<>();
            if (!inner.isBlank()) {
                for (String item : split(text, inner, ",;", false)) {
                    String t = item.strip();
                    if (t.startsWith("[")) {
                        throw new BadSpec(text, "a list holds scalars, found '" + t + "'");
                    }
                    items.add(value(text, t));
                }
            }
            return items;
        }
        if (v.startsWith("\"")) {
            return quoted(text, v);
        }
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        if (INTEGER.matcher(v).matches()) {
            return Long.parseLong(v);
        }
        if (DECIMAL.matcher(v).matches() && Double.isFinite(Double.parseDouble(v))) {
            return Double.parseDouble(v);
        }
        return v;
    }

    private static String quoted(String text, String v) {
        try {
            JsonElement e = JsonParser.parseString(v);
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                return e.getAsString();
            }
        } catch (JsonParseException | StackOverflowError e) {
            // reported below
        }
        throw new BadSpec(text, "a quoted value is a JSON string, found " + RuleScorer.shortened(v, 40));
    }

    /**
     * {@code s} split at any of {@code separators} outside double quotes and, when
     * {@code nested}, outside brackets; a backslash protects the next character.
     */
    private static List<String> split(String text, String s, String separators, boolean nested) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && nested && (c == '[' || c == '{')) {
                depth++;
            } else if (!quoted && nested && (c == ']' || c == '}')) {
                depth = Math.max(0, depth - 1);
            } else if (!quoted && depth == 0 && separators.indexOf(c) >= 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (quoted) {
            throw new BadSpec(text, "a quote is not closed");
        }
        out.add(s.substring(start));
        return out;
    }
}
