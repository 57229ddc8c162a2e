package io.vigil.aggregator.core;

import java.time.Instant;
import java.util.List;

/**
 * The status of one service as consumers see it (SPEC section 4).
 *
 * @param endpoints the load-balancing set, by dataplane then port
 * @param since     as {@link ServiceSummary#since}
 */
public record ServiceView(HealthStatus status, ServiceCounts dataplanes, List<Endpoint> endpoints, Instant since) {

    public ServiceView {
        endpoints = List.copyOf(endpoints);
    }

    /** What a change of the service says of it. */
    public ServiceSummary summary() {
        return new ServiceSummary(status, dataplanes, endpoints.size(), since);
    }
}
