package io.vigil.aggregator.core;

/**
 * The health of one inbound as consumers see it.
 *
 * @param serving     whether it could serve traffic if it were not terminating: {@code ready}, or
 *                    terminating while otherwise ready (Kubernetes EndpointSlice's {@code serving})
 * @param terminating whether its pod is terminating (Kubernetes) or its dataplane is draining
 *                    (EndpointSlice's {@code terminating}); a terminating inbound is never ready
 * @param reason      why it is not ready, or null when ready
 */
public record InboundView(int port, String service, boolean ready, boolean serving, boolean terminating, String address,
                          int workloadPort, String reason) {

    /** Equal for consumers, ignoring the wording of the reason. */
    boolean sameHealth(InboundView other) {
        return other != null && port == other.port && ready == other.ready && serving == other.serving
                && terminating == other.terminating && workloadPort == other.workloadPort
                && service.equals(other.service) && address.equals(other.address);
    }
}
