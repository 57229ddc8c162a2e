package io.vigil.aggregator.core;

/** Custom automation sets the health of an unprobed Universal inbound (event type {@code inbound-health}). */
public record InboundHealthSet(int port, boolean ready) implements EventPayload {

    @Override
    public String type() {
        return "inbound-health";
    }
}
