package io.vigil.aggregator.core;

import java.util.Objects;

/** An xDS stream closed; it counts only if it names the open subscription (see {@link Subscription}). */
public record StreamDisconnected(String instance, String stream) implements EventPayload {

    public StreamDisconnected {
        Objects.requireNonNull(instance, "instance");
    }

    @Override
    public String type() {
        return "stream-disconnected";
    }
}
