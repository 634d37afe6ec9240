package troupe.api.http;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol. {@code --dump-dom} and {@code --screenshot}
 * act at the page's load event, before any Server-Sent Event has arrived, and
 * {@code --virtual-time-budget} never runs out while an SSE stream is open; so the test opens
 * the page with {@code --remote-debugging-port=0} and asks the live page itself.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    /** The first of chromium, chromium-browser, google-chrome on PATH. */
    static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    HeadlessChromium(Path executable, String url, Path workDir) throws Exception {
        Path log = workDir.resolve("chromium.log");
        process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + workDir.resolve("profile"), "--window-size=1280,900",
                "--hide-scrollbars", "--remote-debugging-port=0", url)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int port = devToolsPort(log);
        HttpClient http = HttpClient.newHttpClient();
        String pageSocket = null;
        for (int attempt = 0; attempt < 100 && pageSocket == null; attempt++) {
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (var t : JsonParser.parseString(list).getAsJsonArray()) {
                JsonObject target = t.getAsJsonObject();
                if (target.get("type").getAsString().equals("page") && target.get("url").getAsString().startsWith(url)) {
                    pageSocket = target.get("webSocketDebuggerUrl").getAsString();
                }
            }
            if (pageSocket == null) {
                Thread.sleep(100);
            }
        }
        if (pageSocket == null) {
            throw new IllegalStateException("no page target for " + url);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Replies()).get(10, TimeUnit.SECONDS);
    }

    private int devToolsPort(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = DEVTOOLS.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("chromium did not open DevTools:\n" + Files.readString(log));
    }

    /** Sends one DevTools command and waits for its result. */
    JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        JsonObject msg = new JsonObject();
        msg.addProperty("id", id);
        msg.addProperty("method", method);
        msg.add("params", params);
        socket.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
        JsonObject r = reply.get(30, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + ": " + r.get("error"));
        }
        return r.getAsJsonObject("result");
    }

    /** Evaluates a JavaScript expression in the page; its value as a string. */
    String evaluate(String expression) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("expression", expression);
        p.addProperty("returnByValue", true);
        JsonObject reply = call("Runtime.evaluate", p);
        if (reply.has("exceptionDetails")) { // a script error in the expression: say which, not ""
            JsonObject ex = reply.getAsJsonObject("exceptionDetails");
            throw new IllegalStateException(expression + ": " + (ex.has("exception")
                    ? ex.getAsJsonObject("exception").get("description") : ex.get("text")));
        }
        JsonObject result = reply.getAsJsonObject("result");
        return result.has("value") ? result.get("value").getAsString() : "";
    }

    byte[] screenshotPng() throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("format", "png");
        return Base64.getDecoder().decode(call("Page.captureScreenshot", p).get("data").getAsString());
    }

    /** A screenshot of the page laid out {@code height} pixels tall (the charts redraw first), then the window's size again. */
    byte[] screenshotPng(int height) throws Exception {
        JsonObject size = new JsonObject();
        size.addProperty("width", 1280);
        size.addProperty("height", height);
        size.addProperty("deviceScaleFactor", 1);
        size.addProperty("mobile", false);
        call("Emulation.setDeviceMetricsOverride", size);
        Thread.sleep(800); // ResizeObserver → ECharts resize, and a throttled redraw
        byte[] png = screenshotPng();
        call("Emulation.clearDeviceMetricsOverride", new JsonObject());
        return png;
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** Collects (possibly fragmented) text frames and completes the call each reply answers. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject msg = JsonParser.parseString(partial.toString()).getAsJsonObject();
                partial.setLength(0);
                if (msg.has("id")) {
                    CompletableFuture<JsonObject> f = pending.remove(msg.get("id").getAsInt());
                    if (f != null) {
                        f.complete(msg);
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }
}
