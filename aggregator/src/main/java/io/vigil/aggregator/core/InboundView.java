package io.vigil.aggregator.core;

/**
 * The health of one inbound as consumers see it.
 *
 * @param reason why it is not ready, or null when ready
 */
public record InboundView(int port, String service, boolean ready, String address, int workloadPort, String reason) {

    /** Equal for consumers, ignoring the wording of the reason. */
    boolean sameHealth(InboundView other) {
        return other != null && port == other.port && ready == other.ready && workloadPort == other.workloadPort
                && service.equals(other.service) && address.equals(other.address);
    }
}
