package io.vigil.aggregator.core;

import java.util.List;

/**
 * What one event did to one dataplane.
 *
 * @param next         the state after the event (the same object, changed in place), or null once deleted
 * @param inbound      inbound changes, by port
 * @param proxy        the proxy change, or null
 * @param membership   what the dataplane's services must hear, by service
 * @param stateChanged whether the state differs from before the event (it must be checkpointed)
 */
public record DataplaneChanges(DataplaneState next, List<InboundChange> inbound, ProxyChange proxy,
                               List<MembershipChange> membership, boolean stateChanged) {

    static DataplaneChanges quiet(DataplaneState next, boolean stateChanged) {
        return new DataplaneChanges(next, List.of(), null, List.of(), stateChanged);
    }

    public boolean isEmpty() {
        return inbound.isEmpty() && proxy == null && membership.isEmpty();
    }
}
