package troupe.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import troupe.core.config.SettingsException;
import troupe.core.reward.ScorerFault;
import troupe.core.reward.ScorerRegistry;
import troupe.core.reward.ScorerSpec;

/**
 * Validates a user's HOCON against the documented defaults in {@code reference.conf}.
 *
 * <ul>
 *   <li>every key under {@code troupe} must exist in the reference; an unknown key is reported
 *       with the nearest valid key (edit distance over full paths);
 *   <li>a value must have the reference value's type (HOCON's own conversions allowed: "10" for a
 *       number, "on" for a boolean);
 *   <li>then the typed settings are built, which checks ranges and enumerations, and each declared
 *       reward scorer's block is checked by its factory.
 * </ul>
 *
 * A reference block written as {@code {}} is open: any keys may appear beneath it (e.g. fixed
 * weights by objective name); so is any block named in {@link #KEYED_BY_OBJECTIVE}, whose keys are
 * objective names even where the reference lists a default. Keys outside {@code troupe} (Pekko's
 * own) are not checked here.
 */
public final class ConfigCheck {

    /** One problem: the full key and what is wrong with it. */
    public record Problem(String key, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    /** Blocks whose keys are objective names: weights and scales per objective. */
    static final java.util.Set<String> KEYED_BY_OBJECTIVE = java.util.Set.of("initial-weights", "scales");

    private ConfigCheck() {}

    /**
     * @param user the user's file as parsed, unresolved against the reference
     * @param reference the reference config (defaults)
     * @param buildSettings builds every typed settings record from the merged config
     */
    public static List<Problem> check(Config user, Config reference, Consumer<Config> buildSettings) {
        List<Problem> problems = new ArrayList<>();
        Set<String> known = leafPaths(reference.getConfig(TroupeConfig.ROOT), TroupeConfig.ROOT + ".");
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String path = e.getKey();
            if (!path.startsWith(TroupeConfig.ROOT + ".") || underOpenBlock(reference, path)) {
                continue;
            }
            if (!reference.hasPathOrNull(path)) {
                String parent = leafAncestor(reference, path);
                if (parent != null) {
                    problems.add(new Problem(parent, parent + ": expected " + describe(reference.getValue(parent).valueType())
                            + ", found an object"));
                } else {
                    problems.add(new Problem(path, "unknown key " + path + nearest(path, known)));
                }
                continue;
            }
            ConfigValue expected = reference.getValue(path);
            if (!compatible(expected.valueType(), e.getValue())) {
                problems.add(new Problem(path, path + ": expected " + describe(expected.valueType()) + ", found "
                        + render(e.getValue())));
            }
        }
        if (problems.isEmpty()) {
            try {
                Config merged = user.withFallback(reference).resolve();
                buildSettings.accept(merged);
                checkScorers(merged);
            } catch (SettingsException ex) {
                problems.add(new Problem(ex.key(), ex.getMessage()));
            } catch (ConfigException ex) {
                problems.add(new Problem(TroupeConfig.ROOT, ex.getMessage()));
            }
        }
        return problems;
    }

    /**
     * The declared reward scorers ({@code troupe.rewards.scorers}) with their settings over their
     * defaults, each checked by its factory without loading anything costly (a reward model), so
     * a misspelt rule key fails here as any other key does.
     */
    private static void checkScorers(Config merged) {
        ScorerRegistry registry = ScorerRegistry.fromClasspath().withDefaultsOf(merged);
        for (ScorerSpec spec : ScorerRegistry.configured(merged)) {
            try {
                registry.check(spec);
            } catch (SettingsException e) {
                throw e;
            } catch (RuntimeException e) { // a scorer's own check (its objective name) or a plugin's failure
                throw SettingsException.because(spec.key(), ScorerFault.describe(e));
            }
        }
    }

    static boolean compatible(ConfigValueType expected, ConfigValue found) {
        ConfigValueType type = found.valueType();
        if (type == expected || type == ConfigValueType.NULL) {
            return true;
        }
        Object raw = found.unwrapped();
        return switch (expected) {
            case NUMBER -> type == ConfigValueType.STRING && isNumber((String) raw);
            case BOOLEAN -> type == ConfigValueType.STRING
                    && Set.of("true", "false", "yes", "no", "on", "off").contains(((String) raw).toLowerCase());
            case STRING -> type == ConfigValueType.NUMBER || type == ConfigValueType.BOOLEAN;
            default -> false;
        };
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean underOpenBlock(Config reference, String path) {
        String[] parts = path.split("\\.");
        StringBuilder prefix = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            if (KEYED_BY_OBJECTIVE.contains(parts[i - 1])) {
                return true;
            }
            if (reference.hasPath(prefix.toString())
                    && reference.getValue(prefix.toString()).valueType() == ConfigValueType.OBJECT
                    && reference.getConfig(prefix.toString()).isEmpty()) {
                return true;
            }
            prefix.append('.').append(parts[i]);
        }
        return false;
    }

    /** The nearest ancestor of {@code path} that is a non-object value in the reference, if any. */
    private static String leafAncestor(Config reference, String path) {
        String p = path;
        while (p.contains(".")) {
            p = p.substring(0, p.lastIndexOf('.'));
            if (reference.hasPath(p)) {
                return reference.getValue(p).valueType() == ConfigValueType.OBJECT ? null : p;
            }
        }
        return null;
    }

    private static String nearest(String path, Set<String> known) {
        return known.stream()
                .min(Comparator.comparingInt((String k) -> distance(k, path)).thenComparing(k -> k))
                .map(k -> " (did you mean " + k + "?)")
                .orElse("");
    }

    private static Set<String> leafPaths(Config block, String prefix) {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : block.entrySet()) {
            out.add(prefix + e.getKey());
        }
        return out;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String describe(ConfigValueType t) {
        return switch (t) {
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case STRING -> "a string";
            case LIST -> "a list";
            case OBJECT -> "a block { ... }";
            case NULL -> "null";
        };
    }

    private static String render(ConfigValue v) {
        return switch (v.valueType()) {
            case STRING -> "\"" + v.unwrapped() + "\"";
            case OBJECT -> "a block { ... }";
            case LIST -> "a list";
            default -> String.valueOf(v.unwrapped());
        };
    }
}
