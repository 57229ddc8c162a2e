package io.vigil.schemas;

import io.vigil.avro.DataplaneDeleted;
import io.vigil.avro.DataplaneDraining;
import io.vigil.avro.DataplaneUpserted;
import io.vigil.avro.InboundHealth;
import io.vigil.avro.PodReadiness;
import io.vigil.avro.ProbeResult;
import io.vigil.avro.StreamConnected;
import io.vigil.avro.StreamDisconnected;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The eight kinds of health fact (SPEC section 1): each one's JSON {@code type}, its Avro payload
 * record and the members its JSON object may have.
 */
public enum EventKind {
    DATAPLANE_UPSERTED("dataplane-upserted", DataplaneUpserted.class, "environment", "spec"),
    DATAPLANE_DELETED("dataplane-deleted", DataplaneDeleted.class),
    STREAM_CONNECTED("stream-connected", StreamConnected.class, "instance", "stream"),
    STREAM_DISCONNECTED("stream-disconnected", StreamDisconnected.class, "instance", "stream"),
    PROBE_RESULT("probe-result", ProbeResult.class, "port", "healthy", "detail"),
    POD_READINESS("pod-readiness", PodReadiness.class, "terminating", "sidecarReady", "containers"),
    DATAPLANE_DRAINING("dataplane-draining", DataplaneDraining.class),
    INBOUND_HEALTH("inbound-health", InboundHealth.class, "port", "ready");

    /** The JSON names of all kinds, as messages list them. */
    static final String JSON_NAMES = Arrays.stream(values()).map(EventKind::jsonName).collect(Collectors.joining(", "));

    private final String jsonName;
    private final Class<?> payloadType;
    private final Members members;

    EventKind(String jsonName, Class<?> payloadType, String... payloadMembers) {
        this.jsonName = jsonName;
        this.payloadType = payloadType;
        // Enum constants are built before static fields: the members every event has are spelled here.
        this.members = Members.of("type", "mesh", "dataplane", "time", "id").plus(payloadMembers);
    }

    /** The JSON {@code type}, which is also a change's {@code cause.eventType}. */
    public String jsonName() {
        return jsonName;
    }

    /** The kind whose JSON {@code type} is {@code jsonName}, if any. */
    public static Optional<EventKind> fromJsonName(String jsonName) {
        for (EventKind kind : values()) {
            if (kind.jsonName.equals(jsonName)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /**
     * The kind of a {@code DataplaneEvent.payload}.
     *
     * @throws IllegalArgumentException if it is not one of the eight payload records
     */
    public static EventKind of(Object payload) {
        for (EventKind kind : values()) {
            if (kind.payloadType.isInstance(payload)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("not an event payload: " + (payload == null ? null : payload.getClass()));
    }

    Members members() {
        return members;
    }
}
