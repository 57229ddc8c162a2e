package io.vigil.aggregator.core;

import java.util.Objects;

/** The proxy opened an xDS stream to control-plane {@code instance}; {@code stream} is optional. */
public record StreamConnected(String instance, String stream) implements EventPayload {

    public StreamConnected {
        Objects.requireNonNull(instance, "instance");
    }

    @Override
    public String type() {
        return "stream-connected";
    }
}
