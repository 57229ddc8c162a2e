package io.vigil.aggregator.core;

import io.vigil.schemas.ServiceKey;

/**
 * A service's status, counts or endpoints changed, or it lost its last member ({@code state} null).
 * Which members' endpoints changed with it is {@link ServiceState#endpointParts} of the same flush.
 *
 * @param previousStatus null when the service is new
 */
public record ServiceChange(ServiceKey service, ServiceSummary state, HealthStatus previousStatus, long version,
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
