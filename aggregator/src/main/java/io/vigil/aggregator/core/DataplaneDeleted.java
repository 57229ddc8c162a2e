package io.vigil.aggregator.core;

/** The Dataplane resource is gone; it leaves every view and service. */
public record DataplaneDeleted() implements EventPayload {

    @Override
    public String type() {
        return "dataplane-deleted";
    }
}
