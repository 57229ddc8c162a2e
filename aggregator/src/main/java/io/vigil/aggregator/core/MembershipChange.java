package io.vigil.aggregator.core;

import io.vigil.schemas.ServiceKey;

/**
 * Stage 1 to stage 2: a dataplane joined a service, changed what it contributes, or left ({@code member} null).
 * Keyed by service, so one service's members meet in one place.
 */
public record MembershipChange(ServiceKey service, String dataplane, MemberView member, Cause cause) {
}
