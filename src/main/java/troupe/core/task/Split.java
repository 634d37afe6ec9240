package troupe.core.task;

import java.nio.charset.StandardCharsets;

/**
 * Train / held-out assignment by a fixed hash of a problem's id: a problem is held out iff
 * hash(id) mod {@code every} = 0. The hash is 64-bit FNV-1a over UTF-8 bytes followed by the
 * SplitMix64 finaliser — both fixed algorithms, so the split never changes between JVMs or runs.
 */
public final class Split {

    private Split() {}

    /** True when the problem with this id is in the held-out split (one in {@code every}). */
    public static boolean isHeldOut(String id, int every) {
        if (every < 2) {
            throw new IllegalArgumentException("held-out-every must be >= 2, got " + every);
        }
        return Long.remainderUnsigned(hash(id), every) == 0;
    }

    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
