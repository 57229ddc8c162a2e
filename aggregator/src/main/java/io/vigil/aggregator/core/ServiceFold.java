package io.vigil.aggregator.core;

import io.vigil.schemas.ServiceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stage 2's rules (SPEC section 4): services fold membership updates and emit a service change
 * at the end of each batch, only for services whose status, counts or endpoints differ from what
 * they last emitted. Within a batch a service's intermediate states are coalesced; its versions
 * stay gap-free. A service that lost its last member ends with a tombstone and is forgotten, so
 * a service created again starts at version 1.
 *
 * <p>Not thread-safe: owned by one partition's processing thread.
 */
public final class ServiceFold {

    private final Map<ServiceKey, ServiceState> services = new HashMap<>();
    private final Set<ServiceState> dirty = new LinkedHashSet<>();
    private List<ServiceKey> lastFlushed = List.of();

    public void apply(MembershipChange change) {
        ServiceState state = services.computeIfAbsent(change.service(), ServiceState::new);
        state.apply(change);
        dirty.add(state);
    }

    /** Ends a batch: the service changes it caused, by service key. */
    public List<ServiceChange> flush() {
        if (dirty.isEmpty()) {
            lastFlushed = List.of();
            return List.of();
        }
        List<ServiceState> batch = new ArrayList<>(dirty);
        dirty.clear();
        batch.sort((a, b) -> a.key.compareTo(b.key));
        lastFlushed = batch.stream().map(ServiceState::key).toList();
        List<ServiceChange> changes = new ArrayList<>(batch.size());
        for (ServiceState state : batch) {
            ServiceChange change = state.flush();
            if (change != null) {
                changes.add(change);
            }
            if (state.isGone()) {
                services.remove(state.key);
            }
        }
        return changes;
    }

    /** The services the last {@link #flush} looked at (their state may need a checkpoint); gone ones return null from {@link #get}. */
    public List<ServiceKey> lastFlushed() {
        return lastFlushed;
    }

    /** Forgets a service (its checkpoint was a tombstone). */
    public void forget(ServiceKey key) {
        services.remove(key);
    }

    /** Puts back a service from a checkpoint. */
    public void restore(ServiceState state) {
        services.put(state.key(), state);
    }

    public ServiceState get(ServiceKey key) {
        return services.get(key);
    }

    /** Services that exist now (emitted and not removed). */
    public Collection<ServiceState> services() {
        return services.values();
    }
}
