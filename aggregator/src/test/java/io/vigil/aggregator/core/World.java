package io.vigil.aggregator.core;

import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A {@link HealthModel} fed one event at a time, with a fake clock and every change kept in order. */
final class World {

    private final HealthModel model = new HealthModel();
    private final List<HealthChange> changes = new ArrayList<>();
    private Instant clock = Instant.parse("2026-11-26T10:00:00Z");

    List<HealthChange> send(String dataplane, EventPayload payload) {
        return send("default", dataplane, null, payload);
    }

    List<HealthChange> sendWithId(String dataplane, String id, EventPayload payload) {
        return send("default", dataplane, id, payload);
    }

    List<HealthChange> send(String mesh, String dataplane, String id, EventPayload payload) {
        clock = clock.plus(Duration.ofSeconds(1));
        List<HealthChange> caused = model.apply(new Event(new DataplaneKey(mesh, dataplane), clock, id, payload, null));
        changes.addAll(caused);
        return caused;
    }

    /** The time of the last event sent: each event is a second after the one before. */
    Instant now() {
        return clock;
    }

    HealthSnapshot snapshot() {
        return model.snapshot();
    }

    ProxyView proxy(String dataplane) {
        return proxy("default", dataplane);
    }

    ProxyView proxy(String mesh, String dataplane) {
        DataplaneKey key = new DataplaneKey(mesh, dataplane);
        return model.snapshot().dataplanes().stream().filter(d -> d.key().equals(key))
                .map(HealthSnapshot.DataplaneEntry::proxy).findFirst().orElse(null);
    }

    boolean ready(String dataplane, int port) {
        return proxy(dataplane).inbounds().stream().filter(i -> i.port() == port).findFirst()
                .orElseThrow(() -> new AssertionError("no inbound " + port)).ready();
    }

    ServiceView service(String name) {
        return service("default", name);
    }

    ServiceView service(String mesh, String name) {
        ServiceKey key = new ServiceKey(mesh, name);
        return model.snapshot().services().stream().filter(s -> s.key().equals(key))
                .map(HealthSnapshot.ServiceEntry::service).findFirst().orElse(null);
    }

    List<HealthChange> changes() {
        return changes;
    }
}
