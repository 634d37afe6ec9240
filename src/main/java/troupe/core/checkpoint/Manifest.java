package troupe.core.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The list of files that make a folder complete, with each one's size and CRC32C, in
 * {@value #FILE}: written last (atomically) when a checkpoint or model export is finished, read
 * before one is loaded. A folder whose manifest is missing, unreadable or disagrees with a file
 * (truncated, bit-flipped, missing) is incomplete and never loaded. Files the manifest does not
 * list (a user's own files beside an export) are ignored.
 *
 * <p>Format, one entry a line after the header: {@code <crc32c as 8 hex digits> <size in bytes>
 * <relative path>}. CRC32C (hardware-accelerated, several GB/s) catches truncation and bit rot;
 * it is not a defence against someone who edits files on purpose.
 */
public final class Manifest {
    public static final String FILE = "troupe-manifest.txt";
    static final String HEADER = "troupe-manifest 1";
    private static final int READ_BUFFER = 1 << 16;

    /** Size and checksum of one file. */
    public record Entry(long size, int crc32c) {}

    private Manifest() {}

    /** Writes the manifest of every regular file under {@code folder} (other than itself), atomically. */
    public static void write(Path folder) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String name : files(folder)) {
            entries.put(name, measure(folder.resolve(name)));
        }
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        entries.forEach((name, e) -> text.append(String.format("%08x %d %s%n", e.crc32c(), e.size(), name)));
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(folder.resolve(FILE), out -> out.write(bytes));
    }

    /** Why {@code folder} is not complete, or empty when every listed file matches. */
    public static Optional<String> problem(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            // A save renames the folder only once its manifest exists: absent, the folder predates
            // checksums (an older Troupe) or was damaged.
            return Optional.of("no " + FILE + " (written before checksums, or damaged)");
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.of(FILE + " is not UTF-8 text");
        }
        Map<String, Entry> entries;
        try {
            entries = parse(text);
        } catch (IllegalArgumentException e) {
            return Optional.of(FILE + " " + e.getMessage());
        }
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Path f = folder.resolve(e.getKey());
            if (!Files.isRegularFile(f)) {
                return Optional.of(e.getKey() + " is listed in " + FILE + " but missing");
            }
            long size = Files.size(f);
            if (size != e.getValue().size()) {
                return Optional.of(e.getKey() + " has " + size + " bytes, " + FILE + " says " + e.getValue().size()
                        + (size < e.getValue().size() ? " (truncated)" : ""));
            }
            int crc = measure(f).crc32c();
            if (crc != e.getValue().crc32c()) {
                return Optional.of(String.format("%s is corrupt (crc32c %08x, %s says %08x)", e.getKey(), crc, FILE,
                        e.getValue().crc32c()));
            }
        }
        return Optional.empty();
    }

    /** Throws {@link IncompleteFolderException} naming the folder and the problem unless it is complete. */
    public static void verify(Path folder) throws IOException {
        Optional<String> p = problem(folder);
        if (p.isPresent()) {
            throw new IncompleteFolderException(folder + ": " + p.get());
        }
    }

    /** The entries of the manifest in {@code folder}; throws naming the folder when it is absent or malformed. */
    static Map<String, Entry> read(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw new IncompleteFolderException(file + ": " + e.getMessage());
        }
    }

    /**
     * Entries of a manifest text; throws {@link IllegalArgumentException} naming the line for a
     * wrong header, a malformed line, or a path that leaves the folder.
     */
    static Map<String, Entry> parse(String text) {
        String[] lines = text.split("\n", -1);
        if (!HEADER.equals(lines[0])) {
            throw new IllegalArgumentException("line 1: expected '" + HEADER + "'");
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                break;
            }
            String[] parts = line.split(" ", 3);
            if (parts.length != 3 || !parts[0].matches("[0-9a-f]{8}") || !parts[1].matches("\\d{1,18}")) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected '<crc32c hex> <size> <path>'");
            }
            String name = parts[2];
            if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.equals(FILE)
                    || List.of(name.split("/")).stream().anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
                throw new IllegalArgumentException("line " + (i + 1) + ": path '" + name + "' leaves the folder");
            }
            if (!isFileName(name)) {
                throw new IllegalArgumentException("line " + (i + 1) + ": path '" + name.replace('\0', '?')
                        + "' is not a file name on this system");
            }
            if (out.put(name, new Entry(Long.parseLong(parts[1]), Integer.parseUnsignedInt(parts[0], 16))) != null) {
                throw new IllegalArgumentException("line " + (i + 1) + ": '" + name + "' listed twice");
            }
        }
        return out;
    }

    /** A NUL byte (found by ManifestFuzzTest) makes {@code folder.resolve(name)} throw instead of answering "missing". */
    private static boolean isFileName(String name) {
        try {
            Path.of(name);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Regular files under {@code folder}, relative with '/', in a stable order, the manifest excluded. */
    private static List<String> files(Path folder) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String name = folder.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                if (!name.equals(FILE)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    static Entry measure(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buf = new byte[READ_BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
                size += n;
            }
        }
        return new Entry(size, (int) crc.getValue());
    }
}
