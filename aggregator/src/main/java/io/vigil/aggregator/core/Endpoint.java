package io.vigil.aggregator.core;

/** A ready inbound in its service's load-balancing set. */
public record Endpoint(String dataplane, String address, int port) {
}
