package troupe.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A reward-scorer plugin built at test time, as a researcher would ship one: a class
 * implementing {@code troupe.core.reward.RewardScorer}, its factory listed in
 * {@code META-INF/services}, compiled against the Troupe classpath into a jar.
 */
final class PluginJar {
    static final String SCORER_CLASS = "com.example.ShortScorer";
    static final String OBJECTIVE = "plugin-short";

    private static final String SCORER = """
            package com.example;

            import java.util.List;
            import troupe.core.reward.Direction;
            import troupe.core.reward.Objective;
            import troupe.core.reward.RewardScorer;
            import troupe.core.reward.ScoreInput;

            /** Prefers short responses: 1 / (1 + response tokens). */
            public final class ShortScorer implements RewardScorer {
                public Objective objective() {
                    return new Objective("plugin-short", Direction.MAXIMIZE);
                }

                public float[] score(List<ScoreInput> batch) {
                    float[] out = new float[batch.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = 1f / (1 + batch.get(i).responseTokens().length);
                    }
                    return out;
                }
            }
            """;

    private static final String FACTORY = """
            package com.example;

            import troupe.core.config.ConfigReader;
            import troupe.core.reward.RewardScorer;
            import troupe.core.reward.RewardScorerFactory;

            public final class ShortScorerFactory implements RewardScorerFactory {
                public String name() {
                    return "plugin-short";
                }

                public RewardScorer create(ConfigReader block) {
                    return new ShortScorer();
                }
            }
            """;

    private PluginJar() {}

    static Path build(Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("plugin-src/com/example"));
        Path classes = Files.createDirectories(dir.resolve("plugin-classes"));
        Files.writeString(src.resolve("ShortScorer.java"), SCORER);
        Files.writeString(src.resolve("ShortScorerFactory.java"), FACTORY);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = Files.readString(Path.of("target", "it-classpath.txt")).trim();
        int status = javac.run(null, null, null, "-cp", classpath, "-d", classes.toString(),
                src.resolve("ShortScorer.java").toString(), src.resolve("ShortScorerFactory.java").toString());
        if (status != 0) {
            throw new IllegalStateException("plugin did not compile: status " + status);
        }
        Path jar = dir.resolve("plugin.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                put(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
            put(out, "META-INF/services/troupe.core.reward.RewardScorerFactory",
                    "com.example.ShortScorerFactory\n".getBytes());
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        ((OutputStream) out).write(bytes);
        out.closeEntry();
    }

    static List<Path> classpath(Path jar) {
        return List.of(jar);
    }
}
