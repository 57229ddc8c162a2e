package io.vigil.aggregator.core;

import java.time.Instant;

/**
 * What a service change says of the service (SPEC section 4): its status, member counts and the
 * size of its load-balancing set. The set itself travels as one part per member dataplane
 * ({@link ServiceState#endpointParts}), so a change stays the same size whatever the service's.
 *
 * @param since the newest of its members' {@link MemberView#since}; null when none is known
 */
public record ServiceSummary(HealthStatus status, ServiceCounts dataplanes, int endpointCount, Instant since) {
}
