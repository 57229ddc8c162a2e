package io.vigil.aggregator.core;

import io.vigil.schemas.DataplaneKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The states of a set of dataplanes (all of them for a replay, one partition's in stage 1), each
 * folded with {@link DataplaneFold}. A deleted dataplane is forgotten.
 *
 * <p>Not thread-safe: owned by one processing thread.
 */
public final class Dataplanes {

    private final Map<DataplaneKey, DataplaneState> states = new HashMap<>();

    public DataplaneChanges apply(Event event) {
        DataplaneState before = states.get(event.dataplane());
        DataplaneChanges changes = DataplaneFold.apply(before, event);
        if (changes.next() == null) {
            states.remove(event.dataplane());
        } else if (before == null) {
            states.put(event.dataplane(), changes.next());
        }
        return changes;
    }

    /** Forgets a dataplane (its checkpoint was a tombstone). */
    public void forget(DataplaneKey key) {
        states.remove(key);
    }

    /** Puts back a dataplane from a checkpoint. */
    public void restore(DataplaneState state) {
        states.put(state.key(), state);
    }

    public DataplaneState get(DataplaneKey key) {
        return states.get(key);
    }

    public Collection<DataplaneState> states() {
        return states.values();
    }
}
