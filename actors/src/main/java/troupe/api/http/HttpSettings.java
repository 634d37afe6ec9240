package troupe.api.http;

import com.typesafe.config.Config;
import java.time.Duration;
import troupe.core.config.ConfigReader;

/**
 * The {@code troupe.http} block: the dashboard, SSE and metrics endpoint.
 *
 * @param host address to bind
 * @param port port to bind; 0 = any free port
 * @param sseKeepAlive interval of SSE heartbeats on an idle stream, so proxies keep it open
 */
public record HttpSettings(String host, int port, Duration sseKeepAlive) {

    public static HttpSettings fromConfig(Config config) {
        ConfigReader r = ConfigReader.at(config, "troupe.http");
        return new HttpSettings(r.string("host"), r.intIn("port", 0, 65535),
                Duration.ofMillis(r.millisIn("sse-keep-alive", 100, 3_600_000)));
    }
}
