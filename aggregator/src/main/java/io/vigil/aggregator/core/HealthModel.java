package io.vigil.aggregator.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Both stages in one place: what {@code vigil replay} folds a log with, and the reference the
 * Kafka stages are tested against. {@link #apply} is a batch of one event: its inbound changes,
 * its proxy change, then the service changes it caused. {@link #fold} and {@link #endBatch} make
 * larger batches, within which a service's changes are coalesced (SPEC section 5), as stage 2
 * does per transaction.
 *
 * <p>Not thread-safe.
 */
public final class HealthModel {

    private final Dataplanes dataplanes = new Dataplanes();
    private final ServiceFold services = new ServiceFold();

    /** A batch of one event: its changes, services' included. */
    public List<HealthChange> apply(Event event) {
        DataplaneChanges changes = fold(event);
        if (changes.isEmpty()) {
            return List.of();
        }
        List<ServiceChange> serviceChanges = endBatch();
        List<HealthChange> all = new ArrayList<>(changes.inbound().size() + 1 + serviceChanges.size());
        all.addAll(changes.inbound());
        if (changes.proxy() != null) {
            all.add(changes.proxy());
        }
        all.addAll(serviceChanges);
        return all;
    }

    /** Folds one event into the current batch; its services hear of it at {@link #endBatch}. */
    public DataplaneChanges fold(Event event) {
        DataplaneChanges changes = dataplanes.apply(event);
        for (MembershipChange membership : changes.membership()) {
            services.apply(membership);
        }
        return changes;
    }

    /** Ends the batch: the service changes it caused, by service key. */
    public List<ServiceChange> endBatch() {
        return services.flush();
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
