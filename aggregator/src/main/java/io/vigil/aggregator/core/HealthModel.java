package io.vigil.aggregator.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Both stages in one place, one event per batch: what {@code vigil replay} folds a log with, and
 * the reference the Kafka stages are tested against. Each event yields its inbound changes, its
 * proxy change, then the service changes it caused.
 *
 * <p>Not thread-safe.
 */
public final class HealthModel {

    private final Dataplanes dataplanes = new Dataplanes();
    private final ServiceFold services = new ServiceFold();

    public List<HealthChange> apply(Event event) {
        DataplaneChanges changes = dataplanes.apply(event);
        if (changes.isEmpty()) {
            return List.of();
        }
        for (MembershipChange membership : changes.membership()) {
            services.apply(membership);
        }
        List<ServiceChange> serviceChanges = services.flush();
        List<HealthChange> all = new ArrayList<>(changes.inbound().size() + 1 + serviceChanges.size());
        all.addAll(changes.inbound());
        if (changes.proxy() != null) {
            all.add(changes.proxy());
        }
        all.addAll(serviceChanges);
        return all;
    }

    public HealthSnapshot snapshot() {
        List<HealthSnapshot.DataplaneEntry> dps = new ArrayList<>();
        for (DataplaneState state : dataplanes.states()) {
            if (state.proxy() != null) {
                dps.add(new HealthSnapshot.DataplaneEntry(state.key(), state.proxy(), state.proxyVersion()));
            }
        }
        dps.sort(Comparator.comparing(HealthSnapshot.DataplaneEntry::key));
        List<HealthSnapshot.ServiceEntry> svcs = new ArrayList<>();
        for (ServiceState state : services.services()) {
            if (state.view() != null) {
                svcs.add(new HealthSnapshot.ServiceEntry(state.key(), state.view(), state.version()));
            }
        }
        svcs.sort(Comparator.comparing(HealthSnapshot.ServiceEntry::key));
        return new HealthSnapshot(dps, svcs);
    }
}
