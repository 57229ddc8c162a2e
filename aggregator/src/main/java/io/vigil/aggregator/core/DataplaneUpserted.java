package io.vigil.aggregator.core;

import java.util.Objects;

/** The Dataplane resource was created or changed. */
public record DataplaneUpserted(Environment environment, DataplaneSpec spec) implements EventPayload {

    public DataplaneUpserted {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String type() {
        return "dataplane-upserted";
    }
}
