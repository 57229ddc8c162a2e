package io.vigil.aggregator.core;

import java.time.Instant;

/**
 * What a service change says of the service (SPEC section 4): its status, member counts and the
 * size of its load-balancing set. The set itself travels as one part per member dataplane
 * ({@link ServiceState#endpointParts}), so a change stays the same size whatever the service's.
 *
 * @param since the event time of the change at which {@code status} began; null when unknown
 *              (restored from a checkpoint written before it was kept)
 */
public record ServiceSummary(HealthStatus status, ServiceCounts dataplanes, int endpointCount, Instant since) {
}
