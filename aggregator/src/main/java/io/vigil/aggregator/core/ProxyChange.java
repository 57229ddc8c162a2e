package io.vigil.aggregator.core;

import io.vigil.schemas.DataplaneKey;

/**
 * A proxy's status, connection or inbound set changed, or it was deleted ({@code state} null).
 *
 * @param previousStatus null when the proxy is new
 */
public record ProxyChange(DataplaneKey dataplane, ProxyView state, HealthStatus previousStatus, long version,
                          Cause cause) implements HealthChange {

    @Override
    public String entityKey() {
        return dataplane.toString();
    }

    @Override
    public boolean isTombstone() {
        return state == null;
    }
}
