package io.vigil.aggregator.core;

import io.vigil.schemas.ServiceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One service's members and what it last emitted. Counts are kept incrementally, so a membership
 * update costs the same whatever the service's size; the endpoint list is built only when a
 * change is emitted.
 *
 * <p>Mutable and not thread-safe: one partition's processing thread owns it, through {@link ServiceFold}.
 */
public final class ServiceState {

    final ServiceKey key;
    /** By dataplane name, so the endpoint list (by dataplane, then port) is built without sorting. */
    final Map<String, MemberView> members = new TreeMap<>();
    int online;
    int offline;
    int partiallyDegraded;
    int endpointCount;
    ServiceView emitted;
    long version;
    /** A member changed since the last flush; this cause is the latest such change's. */
    Cause pendingCause;
    /** Some member's endpoints changed since the last flush: only then is the list rebuilt. */
    boolean endpointsChanged;

    ServiceState(ServiceKey key) {
        this.key = key;
    }

    /** A state as a checkpoint recorded it: its members, the view it last emitted, its version. */
    public static ServiceState restore(ServiceKey key, Map<String, MemberView> members, ServiceView emitted, long version) {
        ServiceState state = new ServiceState(key);
        for (Map.Entry<String, MemberView> member : members.entrySet()) {
            state.members.put(member.getKey(), member.getValue());
            state.count(member.getValue(), +1);
        }
        state.emitted = emitted;
        state.version = version;
        return state;
    }

    /** Each member dataplane's contribution, by dataplane name. */
    public Map<String, MemberView> members() {
        return java.util.Collections.unmodifiableMap(members);
    }

    public ServiceKey key() {
        return key;
    }

    /** The service as last emitted, or null before its first change. */
    public ServiceView view() {
        return emitted;
    }

    public long version() {
        return version;
    }

    void apply(MembershipChange change) {
        MemberView previous = change.member() == null
                ? members.remove(change.dataplane())
                : members.put(change.dataplane(), change.member());
        count(previous, -1);
        count(change.member(), +1);
        pendingCause = change.cause();
        List<Endpoint> before = previous == null ? List.of() : previous.endpoints();
        List<Endpoint> after = change.member() == null ? List.of() : change.member().endpoints();
        endpointsChanged |= !before.equals(after);
    }

    private void count(MemberView member, int delta) {
        if (member == null) {
            return;
        }
        switch (member.status()) {
            case ONLINE -> online += delta;
            case OFFLINE -> offline += delta;
            case PARTIALLY_DEGRADED -> partiallyDegraded += delta;
        }
        endpointCount += delta * member.endpoints().size();
    }

    /** The change the updates since the last flush add up to, or null when they cancel out. */
    ServiceChange flush() {
        Cause cause = pendingCause;
        pendingCause = null;
        if (cause == null) {
            return null;
        }
        HealthStatus previous = emitted == null ? null : emitted.status();
        if (members.isEmpty()) {
            if (emitted == null) {
                return null;
            }
            emitted = null;
            return new ServiceChange(key, null, previous, ++version, cause);
        }
        ServiceCounts counts = new ServiceCounts(members.size(), online, offline, partiallyDegraded);
        HealthStatus status = HealthStatus.of(online, members.size());
        List<Endpoint> endpoints = endpointsChanged || emitted == null ? endpoints() : emitted.endpoints();
        endpointsChanged = false;
        if (emitted != null && status == emitted.status() && counts.equals(emitted.dataplanes())
                && endpoints.equals(emitted.endpoints())) {
            return null;
        }
        ServiceView view = new ServiceView(status, counts, endpoints);
        emitted = view;
        return new ServiceChange(key, view, previous, ++version, cause);
    }

    private List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>(endpointCount);
        for (MemberView member : members.values()) {
            endpoints.addAll(member.endpoints());
        }
        return endpoints;
    }

    boolean isGone() {
        return members.isEmpty() && emitted == null && pendingCause == null;
    }
}
