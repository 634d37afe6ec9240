package troupe.core.health;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Recorded event sequences (src/test/resources/troupe/health/, how they were recorded is in
 * README.md there): one LearnerEvent a line as protobuf JSON, reduced to the fields the health
 * rules read. Proto3 JSON leaves out fields equal to 0 and writes NaN as "NaN"; read back here.
 */
public final class HealthFixtures {

    public static final String COLLAPSE = "/troupe/health/collapse-run.jsonl";
    public static final String NORMAL = "/troupe/health/normal-run.jsonl";

    private HealthFixtures() {}

    public static List<HealthSignals> read(String resource) throws IOException {
        List<HealthSignals> steps = new ArrayList<>();
        try (InputStream in = HealthFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no test resource " + resource);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    steps.add(signals(JsonParser.parseString(line).getAsJsonObject()));
                }
            }
        }
        return steps;
    }

    private static HealthSignals signals(JsonObject e) {
        List<HealthSignals.Objective> objectives = new ArrayList<>();
        for (JsonElement o : e.getAsJsonArray("objectives")) {
            JsonObject x = o.getAsJsonObject();
            objectives.add(new HealthSignals.Objective(x.get("name").getAsString(),
                    !"MINIMIZE".equals(x.get("direction").getAsString()), num(x, "rawMean"), num(x, "rawStd")));
        }
        return new HealthSignals(e.get("step").getAsLong(), num(e.getAsJsonObject("entropy"), "mean"),
                num(e.getAsJsonObject("entropy"), "topKMass"), num(e.getAsJsonObject("kl"), "budget"),
                num(e.getAsJsonObject("lengths"), "responseMean"), num(e.getAsJsonObject("lengths"), "referenceMean"),
                objectives);
    }

    private static double num(JsonObject o, String key) {
        if (o == null || !o.has(key)) {
            return 0; // proto3 JSON omits a field at its default
        }
        JsonElement v = o.get(key);
        return v.getAsJsonPrimitive().isString() ? Double.parseDouble(v.getAsString()) : v.getAsDouble();
    }
}
