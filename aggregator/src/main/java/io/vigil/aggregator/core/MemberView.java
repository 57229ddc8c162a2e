package io.vigil.aggregator.core;

import java.time.Instant;
import java.util.List;

/**
 * What one dataplane contributes to one of its services: its status and its ready inbounds there.
 *
 * @param since when the member's status began as the service sees it: the event time at which the
 *              dataplane joined the service, or at which its status last changed after that; null
 *              when unknown (restored from a checkpoint that did not keep it)
 */
public record MemberView(HealthStatus status, List<Endpoint> endpoints, Instant since) {

    public MemberView {
        endpoints = List.copyOf(endpoints);
    }
}
