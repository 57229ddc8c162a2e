package io.vigil.aggregator.core;

/** What an {@link Event} says; one record per SPEC section 1 event type. */
public sealed interface EventPayload
        permits DataplaneUpserted, DataplaneDeleted, StreamConnected, StreamDisconnected,
                ProbeResult, PodReadiness, DataplaneDraining, InboundHealthSet {

    /** The SPEC section 1 {@code type} of this payload. */
    String type();
}
