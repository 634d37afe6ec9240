package troupe.core.reward.rm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A preference set whose preference is a known function of the text: two random 6-letter
 * responses over "abcd", the one with more 'a's is chosen (ties are not written).
 */
final class SyntheticPreferences {

    private SyntheticPreferences() {
    }

    static String word(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            b.append("abcd".charAt(r.nextInt(4)));
        }
        return b.toString();
    }

    static long count(String s) {
        return s.chars().filter(c -> c == 'a').count();
    }

    static Path write(Path file, int pairs, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder out = new StringBuilder();
        int written = 0;
        while (written < pairs) {
            String x = word(r);
            String y = word(r);
            if (count(x) == count(y)) {
                continue;
            }
            String chosen = count(x) > count(y) ? x : y;
            String rejected = chosen.equals(x) ? y : x;
            out.append("{\"prompt\":\"more a:\",\"chosen\":\"").append(chosen).append("\",\"rejected\":\"")
                    .append(rejected).append("\"}\n");
            written++;
        }
        Files.writeString(file, out);
        return file;
    }
}
