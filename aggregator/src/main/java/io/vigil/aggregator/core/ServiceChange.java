package io.vigil.aggregator.core;

import io.vigil.schemas.ServiceKey;

/**
 * A service's status, counts or endpoints changed, or it lost its last member ({@code state} null).
 *
 * @param previousStatus null when the service is new
 */
public record ServiceChange(ServiceKey service, ServiceView state, HealthStatus previousStatus, long version,
                            Cause cause) implements HealthChange {

    @Override
    public String entityKey() {
        return service.toString();
    }

    @Override
    public boolean isTombstone() {
        return state == null;
    }
}
