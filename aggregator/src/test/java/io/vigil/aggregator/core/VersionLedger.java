package io.vigil.aggregator.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks that every entity's versions run 1, 2, 3... and restart at 1 after a tombstone. */
final class VersionLedger {

    private final Map<String, Long> last = new HashMap<>();
    private final List<String> gaps = new ArrayList<>();

    static VersionLedger of(List<HealthChange> changes) {
        VersionLedger ledger = new VersionLedger();
        changes.forEach(ledger::record);
        return ledger;
    }

    void record(HealthChange change) {
        String key = change.entityKey();
        long expected = last.getOrDefault(key, 0L) + 1;
        if (change.version() != expected) {
            gaps.add(key + " expected version " + expected + " got " + change.version());
        }
        if (change.isTombstone()) {
            last.remove(key);
        } else {
            last.put(key, change.version());
        }
    }

    List<String> gaps() {
        return gaps;
    }
}
