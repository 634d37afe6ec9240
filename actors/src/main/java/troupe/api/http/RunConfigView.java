package troupe.api.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The run's {@code troupe} settings as the page shows them: resolved JSON with every secret
 * replaced. The page is served without authentication (loopback by default), so whatever could
 * call Control or a scorer's endpoint is left out: keys named {@code token}, {@code *-token},
 * {@code secret}, {@code password}, {@code credentials} or {@code api-key}.
 */
final class RunConfigView {
    static final String REDACTED = "<redacted>";
    private static final Pattern SECRET =
            Pattern.compile("(^|.*[-_])(token|secret|password|passwd|credentials?|api[-_]?key)$", Pattern.CASE_INSENSITIVE);

    private RunConfigView() {}

    /** @param merged the run's resolved config; only its {@code troupe} block is shown */
    static String json(Config merged) {
        Config troupe = merged.hasPath("troupe") ? merged.getConfig("troupe") : merged;
        for (Map.Entry<String, ?> e : troupe.entrySet()) {
            String path = e.getKey();
            String last = path.substring(path.lastIndexOf('.') + 1).replace("\"", "");
            if (SECRET.matcher(last).matches()) {
                troupe = troupe.withValue(path, ConfigValueFactory.fromAnyRef(REDACTED));
            }
        }
        return troupe.root().render(ConfigRenderOptions.concise().setFormatted(true));
    }
}
