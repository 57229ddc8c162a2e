package io.vigil.aggregator.core;

import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.ServiceKey;
import java.util.List;

/** The whole current state (SPEC section 5): dataplanes and services, each sorted by mesh then name. */
public record HealthSnapshot(List<DataplaneEntry> dataplanes, List<ServiceEntry> services) {

    public record DataplaneEntry(DataplaneKey key, ProxyView proxy, long version) {
    }

    public record ServiceEntry(ServiceKey key, ServiceView service, long version) {
    }

    public HealthSnapshot {
        dataplanes = List.copyOf(dataplanes);
        services = List.copyOf(services);
    }
}
