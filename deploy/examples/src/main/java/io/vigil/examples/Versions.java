package io.vigil.examples;

import java.util.HashMap;
import java.util.Map;

/**
 * vigil numbers each entity's changes 1, 2, 3...: a consumer that remembers the last version per
 * key drops what it saw already (at-least-once redelivery after a restart) and can tell a gap (it
 * missed a change: e.g. it started after compaction removed older ones, which is expected, or a
 * bug, which is not).
 */
final class Versions {

    /** What a change's version says against the last one of its key. */
    enum Seen { NEW, FIRST, GAP, AGAIN }

    private final Map<String, Long> last = new HashMap<>();

    Seen see(String key, long version) {
        Long previous = last.get(key);
        if (previous != null && version <= previous) {
            return Seen.AGAIN;
        }
        last.put(key, version);
        if (previous == null) {
            return version == 1 ? Seen.NEW : Seen.FIRST;
        }
        return version == previous + 1 ? Seen.NEW : Seen.GAP;
    }
}
