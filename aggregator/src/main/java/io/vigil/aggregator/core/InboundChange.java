package io.vigil.aggregator.core;

import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.KeyFormat;

/**
 * An inbound appeared, flipped ready, changed service or address, or disappeared ({@code state} null).
 *
 * @param previousReady null when the inbound is new
 */
public record InboundChange(DataplaneKey dataplane, int port, InboundView state, Boolean previousReady,
                            long version, Cause cause) implements HealthChange {

    @Override
    public String entityKey() {
        return KeyFormat.inbound(dataplane.mesh(), dataplane.name(), port);
    }

    @Override
    public boolean isTombstone() {
        return state == null;
    }
}
