package io.vigil.aggregator.core;

/** kuma-dp received its first shutdown signal. */
public record DataplaneDraining() implements EventPayload {

    @Override
    public String type() {
        return "dataplane-draining";
    }
}
