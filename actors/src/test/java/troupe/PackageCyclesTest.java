package troupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The main sources of troupe-core and troupe-actors form a package graph without cycles, and
 * troupe-core uses neither Pekko nor gRPC (DESIGN.md: core is pure compute). Read from the source
 * text, not the classes: an edge is an {@code import troupe.…} or a fully qualified
 * {@code troupe.x.y.Type} in code (comments and string literals are ignored).
 */
class PackageCyclesTest {

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern TROUPE_NAME = Pattern.compile("\\btroupe(?:\\s*\\.\\s*[A-Za-z_$][\\w$]*)+");
    private static final Pattern FORBIDDEN_IN_CORE = Pattern.compile("\\b(org\\s*\\.\\s*apache\\s*\\.\\s*pekko|io\\s*\\.\\s*grpc)\\b");

    @Test
    void mainSourcesHaveNoPackageCycle() {
        Map<Path, Source> sources = mainSources();
        Set<String> packages = new TreeSet<>();
        sources.values().forEach(s -> packages.add(s.pkg()));
        // from → to → files that make the edge
        Map<String, Map<String, Set<String>>> edges = new TreeMap<>();
        sources.forEach((file, s) -> {
            for (String target : referencedPackages(s.code(), packages)) {
                if (!target.equals(s.pkg())) {
                    edges.computeIfAbsent(s.pkg(), k -> new TreeMap<>())
                            .computeIfAbsent(target, k -> new TreeSet<>()).add(file.toString());
                }
            }
        });
        List<Set<String>> cycles = stronglyConnected(packages, edges).stream().filter(c -> c.size() > 1).toList();
        StringBuilder report = new StringBuilder();
        for (Set<String> cycle : cycles) {
            report.append("\npackage cycle ").append(cycle).append(':');
            for (String from : cycle) {
                edges.getOrDefault(from, Map.of()).forEach((to, files) -> {
                    if (cycle.contains(to)) {
                        report.append("\n  ").append(from).append(" -> ").append(to).append(" by ").append(files);
                    }
                });
            }
        }
        assertEquals("", report.toString(), "main sources must import one way");
    }

    @Test
    void coreUsesNeitherPekkoNorGrpc() {
        Path core = Path.of("src", "main", "java");
        List<String> offenders = new ArrayList<>();
        mainSources().forEach((file, s) -> {
            Matcher m = FORBIDDEN_IN_CORE.matcher(s.code());
            if (file.startsWith(core) && m.find()) {
                offenders.add(file + " uses " + m.group(1).replaceAll("\\s", ""));
            }
        });
        assertEquals(List.of(), offenders, "troupe-core is pure compute");
    }

    @Test
    void findsACycleMadeByAFullyQualifiedNameButNotByCommentsOrStrings() {
        Set<String> packages = Set.of("troupe.a", "troupe.b", "troupe.c");
        String a = codeOnly("package troupe.a;\nimport troupe.b.B; // troupe.c.C\nclass A {}");
        String b = codeOnly("package troupe.b;\nclass B { troupe.a.A a; String s = \"troupe.c.C\"; /* troupe.c.C */ }");
        assertEquals(Set.of("troupe.b"), referencedPackages(a, packages));
        assertEquals(Set.of("troupe.a"), referencedPackages(b, packages));
        Map<String, Map<String, Set<String>>> edges = Map.of(
                "troupe.a", Map.of("troupe.b", Set.of("A.java")), "troupe.b", Map.of("troupe.a", Set.of("B.java")));
        assertTrue(stronglyConnected(packages, edges).contains(Set.of("troupe.a", "troupe.b")));
        assertTrue(stronglyConnected(packages, edges).contains(Set.of("troupe.c")));
    }

    /** Each package named by a {@code troupe.…} qualified name in {@code code}: the longest prefix that is a package. */
    static Set<String> referencedPackages(String code, Set<String> packages) {
        Set<String> out = new TreeSet<>();
        Matcher m = TROUPE_NAME.matcher(PACKAGE.matcher(code).replaceFirst(""));
        while (m.find()) {
            String name = m.group().replaceAll("\\s", "");
            for (String prefix = name; prefix.contains("."); prefix = prefix.substring(0, prefix.lastIndexOf('.'))) {
                if (packages.contains(prefix)) {
                    out.add(prefix);
                    break;
                }
            }
        }
        return out;
    }

    /** Tarjan's strongly connected components of the package graph. */
    static List<Set<String>> stronglyConnected(Set<String> nodes, Map<String, Map<String, Set<String>>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String n : nodes) {
            if (!index.containsKey(n)) {
                visit(n, edges, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void visit(String v, Map<String, Map<String, Set<String>>> edges, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                visit(w, edges, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }

    /** A source file's package and its code with comments and string/char literals blanked. */
    record Source(String pkg, String code) {}

    private static Map<Path, Source> mainSources() {
        Path root = repoRoot();
        Map<Path, Source> out = new TreeMap<>();
        for (String dir : List.of("src/main/java", "actors/src/main/java")) {
            try (Stream<Path> files = Files.walk(root.resolve(dir))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String code = codeOnly(Files.readString(f));
                    Matcher m = PACKAGE.matcher(code);
                    assertTrue(m.find(), f + " has no package declaration");
                    out.put(root.relativize(f), new Source(m.group(1), code));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertTrue(out.size() > 100, "found only " + out.size() + " main source files under " + root);
        return out;
    }

    /** The repository root: the nearest ancestor of the working directory holding both modules' sources. */
    private static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("src/main/java/troupe/core"))
                    && Files.isDirectory(p.resolve("actors/src/main/java/troupe"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    /** {@code java} with comments, string literals, text blocks and char literals replaced by spaces. */
    static String codeOnly(String java) {
        StringBuilder out = new StringBuilder(java.length());
        int i = 0;
        int n = java.length();
        while (i < n) {
            char c = java.charAt(i);
            if (c == '/' && i + 1 < n && java.charAt(i + 1) == '/') {
                while (i < n && java.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && java.charAt(i + 1) == '*') {
                int end = java.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (java.startsWith("\"\"\"", i)) {
                int end = java.indexOf("\"\"\"", i + 3);
                while (end > 0 && java.charAt(end - 1) == '\\') {
                    end = java.indexOf("\"\"\"", end + 1);
                }
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && java.charAt(j) != c && java.charAt(j) != '\n') {
                    j += java.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
