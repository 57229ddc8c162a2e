package io.vigil.aggregator.core;

import io.vigil.schemas.ServiceKey;
import java.time.Instant;
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
    private List<ServiceState> lastFlushed = List.of();

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
        lastFlushed = batch;
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

    /**
     * The services the last {@link #flush} looked at, by key, with the parts it left to write
     * ({@link ServiceState#endpointParts}, {@link ServiceState#memberParts}); a gone one
     * ({@link #get} returns null) needs its checkpoint removed.
     */
    public List<ServiceState> lastFlushed() {
        return lastFlushed;
    }

    /** Forgets a service (its checkpoint was a tombstone). */
    public void forget(ServiceKey key) {
        services.remove(key);
    }

    /**
     * Puts back what a service's checkpoint says it last emitted ({@code status} null: nothing)
     * and its version; a checkpoint older than the member parts also holds {@code everyMember}.
     * {@code since} is null when the checkpoint did not keep it.
     */
    public void restoreService(ServiceKey key, HealthStatus status, ServiceCounts counts, Instant since, long version,
                               Map<String, MemberView> everyMember) {
        services.computeIfAbsent(key, ServiceState::new).restoreEmitted(status, counts, since, version, everyMember);
    }

    /** Puts back one member of a service from its checkpoint part ({@code member} null: it left). */
    public void restoreMember(ServiceKey key, String dataplane, MemberView member) {
        ServiceState state = member == null ? services.get(key) : services.computeIfAbsent(key, ServiceState::new);
        if (state != null) {
            state.restoreMember(dataplane, member);
        }
    }

    public ServiceState get(ServiceKey key) {
        return services.get(key);
    }

    /** Services that exist now (emitted and not removed). */
    public Collection<ServiceState> services() {
        return services.values();
    }
}
