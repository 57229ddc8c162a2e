package io.vigil.schemas;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.avro.Cause;
import io.vigil.avro.Endpoint;
import io.vigil.avro.HealthStatus;
import io.vigil.avro.InboundChange;
import io.vigil.avro.InboundState;
import io.vigil.avro.InboundSummary;
import io.vigil.avro.ProxyChange;
import io.vigil.avro.ProxyState;
import io.vigil.avro.ServiceChange;
import io.vigil.avro.ServiceCounts;
import io.vigil.avro.ServiceState;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/**
 * The JSON of SPEC section 5 — dataplanes, services and changes — written with a streaming
 * {@link JsonGenerator}. {@code vigil replay}, the REST API and the live stream all write through
 * here, so they cannot disagree on a field. Fields SPEC names come first; the rest are additions
 * the SPEC allows. Stateless and thread-safe; a generator is not.
 */
public final class HealthJson {

    private HealthJson() {
    }

    /** {@code online}, {@code offline} or {@code partially_degraded}. */
    public static String status(HealthStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    /** One dataplane; {@code version} null leaves it out. */
    public static void writeDataplane(JsonGenerator g, String mesh, String name, ProxyState state, Long version) throws IOException {
        g.writeStartObject();
        g.writeStringField("mesh", mesh);
        g.writeStringField("name", name);
        g.writeStringField("status", status(state.getStatus()));
        g.writeBooleanField("connected", state.getConnected());
        g.writeArrayFieldStart("inbounds");
        for (InboundSummary inbound : state.getInbounds()) {
            g.writeStartObject();
            g.writeNumberField("port", inbound.getPort());
            g.writeStringField("service", inbound.getService());
            g.writeBooleanField("ready", inbound.getReady());
            g.writeStringField("address", inbound.getAddress());
            writeBoolean(g, "serving", inbound.getServing());
            writeBoolean(g, "terminating", inbound.getTerminating());
            g.writeEndObject();
        }
        g.writeEndArray();
        writeTime(g, "since", state.getSince());
        writeTime(g, "connectedSince", state.getConnectedSince());
        g.writeStringField("environment", state.getEnvironment().name().toLowerCase(Locale.ROOT));
        g.writeStringField("address", state.getAddress());
        g.writeBooleanField("gateway", state.getGateway());
        writeStrings(g, "services", state.getServices());
        writeStrings(g, "reasons", state.getReasons());
        if (version != null) {
            g.writeNumberField("version", version);
        }
        g.writeEndObject();
    }

    /**
     * One service with its whole load-balancing set, which is not part of its Avro state (it
     * travels in parts, {@link Topics#SERVICE_ENDPOINTS}); {@code version} null leaves it out.
     */
    public static void writeService(JsonGenerator g, String mesh, String name, ServiceState state, Iterable<Endpoint> endpoints,
                                    Long version) throws IOException {
        writeServiceFields(g, mesh, name, state);
        writeEndpoints(g, endpoints);
        if (version != null) {
            g.writeNumberField("version", version);
        }
        g.writeEndObject();
    }

    /**
     * One service without its load-balancing set (only {@code endpointCount}), as a change or a
     * list shows it: the set of a large service is listed page by page. A record written with
     * schema v1 still carries its set inline, and shows it.
     */
    public static void writeServiceSummary(JsonGenerator g, String mesh, String name, ServiceState state, Long version)
            throws IOException {
        writeServiceFields(g, mesh, name, state);
        if (state.getEndpointCount() < 0) {
            writeEndpoints(g, state.getEndpoints());
        }
        if (version != null) {
            g.writeNumberField("version", version);
        }
        g.writeEndObject();
    }

    /** How many endpoints a service has: {@code endpointCount}, or the inline set's size in a record of schema v1. */
    public static int endpointCount(ServiceState state) {
        return state.getEndpointCount() < 0 ? state.getEndpoints().size() : state.getEndpointCount();
    }

    private static void writeServiceFields(JsonGenerator g, String mesh, String name, ServiceState state) throws IOException {
        g.writeStartObject();
        g.writeStringField("mesh", mesh);
        g.writeStringField("name", name);
        g.writeStringField("status", status(state.getStatus()));
        ServiceCounts counts = state.getDataplanes();
        g.writeObjectFieldStart("dataplanes");
        g.writeNumberField("total", counts.getTotal());
        g.writeNumberField("online", counts.getOnline());
        g.writeNumberField("offline", counts.getOffline());
        g.writeNumberField("partiallyDegraded", counts.getPartiallyDegraded());
        g.writeEndObject();
        g.writeNumberField("endpointCount", endpointCount(state));
        writeTime(g, "since", state.getSince());
    }

    private static void writeEndpoints(JsonGenerator g, Iterable<Endpoint> endpoints) throws IOException {
        g.writeArrayFieldStart("endpoints");
        for (Endpoint endpoint : endpoints) {
            writeEndpoint(g, endpoint);
        }
        g.writeEndArray();
    }

    /** One endpoint: {@code {dataplane, address, port}}. */
    public static void writeEndpoint(JsonGenerator g, Endpoint endpoint) throws IOException {
        g.writeStartObject();
        g.writeStringField("dataplane", endpoint.getDataplane());
        g.writeStringField("address", endpoint.getAddress());
        g.writeNumberField("port", endpoint.getPort());
        g.writeEndObject();
    }

    /**
     * One change: {@code level}, {@code key}, {@code version}, {@code tombstone}, the state after it
     * ({@code null} for a tombstone), the previous status (or readiness) and the cause.
     */
    public static void writeChange(JsonGenerator g, InboundChange change) throws IOException {
        writeInbound(g, change, false);
    }

    public static void writeChange(JsonGenerator g, ProxyChange change) throws IOException {
        writeProxy(g, change, false);
    }

    public static void writeChange(JsonGenerator g, ServiceChange change) throws IOException {
        writeService(g, change, false);
    }

    /**
     * An entity's current state in the shape of a change, as a live stream opened with
     * {@code ?initial=true} sends it first: the same fields, with {@code "initial": true} added,
     * and {@code previousStatus} (or {@code previousReady}) and {@code cause} null, since the state
     * is where all its changes led, not one transition. {@code change} is the entity's state and
     * version in a change without a cause.
     */
    public static void writeInitialState(JsonGenerator g, InboundChange change) throws IOException {
        writeInbound(g, change, true);
    }

    /** Like {@link #writeInitialState(JsonGenerator, InboundChange)}, for a proxy. */
    public static void writeInitialState(JsonGenerator g, ProxyChange change) throws IOException {
        writeProxy(g, change, true);
    }

    /** Like {@link #writeInitialState(JsonGenerator, InboundChange)}, for a service. */
    public static void writeInitialState(JsonGenerator g, ServiceChange change) throws IOException {
        writeService(g, change, true);
    }

    private static void writeInbound(JsonGenerator g, InboundChange change, boolean initial) throws IOException {
        g.writeStartObject();
        g.writeStringField("level", "inbound");
        g.writeStringField("key", KeyFormat.inbound(change.getMesh(), change.getDataplane(), change.getPort()));
        g.writeStringField("mesh", change.getMesh());
        g.writeStringField("dataplane", change.getDataplane());
        g.writeNumberField("port", change.getPort());
        g.writeNumberField("version", change.getVersion());
        g.writeBooleanField("tombstone", change.getState() == null);
        g.writeFieldName("state");
        InboundState state = change.getState();
        if (state == null) {
            g.writeNull();
        } else {
            g.writeStartObject();
            g.writeNumberField("port", change.getPort());
            g.writeStringField("service", state.getService());
            g.writeBooleanField("ready", state.getReady());
            g.writeStringField("address", state.getAddress());
            g.writeNumberField("workloadPort", state.getWorkloadPort());
            if (state.getReason() != null) {
                g.writeStringField("reason", state.getReason());
            }
            writeBoolean(g, "serving", state.getServing());
            writeBoolean(g, "terminating", state.getTerminating());
            g.writeEndObject();
        }
        g.writeFieldName("previousReady");
        if (change.getPreviousReady() == null) {
            g.writeNull();
        } else {
            g.writeBoolean(change.getPreviousReady());
        }
        writeCause(g, change.getCause());
        writeInitial(g, initial);
        g.writeEndObject();
    }

    private static void writeProxy(JsonGenerator g, ProxyChange change, boolean initial) throws IOException {
        ProxyState state = change.getState();
        writeStatusChange(g, "proxy", "dataplane", change.getMesh(), change.getDataplane(), change.getVersion(),
                state == null ? null : () -> writeDataplane(g, change.getMesh(), change.getDataplane(), state, null),
                change.getPreviousStatus(), change.getCause(), initial);
    }

    private static void writeService(JsonGenerator g, ServiceChange change, boolean initial) throws IOException {
        ServiceState state = change.getState();
        writeStatusChange(g, "service", "service", change.getMesh(), change.getService(), change.getVersion(),
                state == null ? null : () -> writeServiceSummary(g, change.getMesh(), change.getService(), state, null),
                change.getPreviousStatus(), change.getCause(), initial);
    }

    /** {@code "initial": true} on initial state only, so that changes keep the fields they always had. */
    private static void writeInitial(JsonGenerator g, boolean initial) throws IOException {
        if (initial) {
            g.writeBooleanField("initial", true);
        }
    }

    /** Writes the state of a change; null stands for a tombstone. */
    private interface StateWriter {
        void write() throws IOException;
    }

    /** A proxy or service change: both have a status, so both name the previous one. */
    private static void writeStatusChange(JsonGenerator g, String level, String nameField, String mesh, String name, long version,
                                          StateWriter state, HealthStatus previous, Cause cause, boolean initial) throws IOException {
        g.writeStartObject();
        g.writeStringField("level", level);
        g.writeStringField("key", KeyFormat.of(mesh, name));
        g.writeStringField("mesh", mesh);
        g.writeStringField(nameField, name);
        g.writeNumberField("version", version);
        g.writeBooleanField("tombstone", state == null);
        g.writeFieldName("state");
        if (state == null) {
            g.writeNull();
        } else {
            state.write();
        }
        writePreviousStatus(g, previous);
        writeCause(g, cause);
        writeInitial(g, initial);
        g.writeEndObject();
    }

    private static void writePreviousStatus(JsonGenerator g, HealthStatus previous) throws IOException {
        g.writeFieldName("previousStatus");
        if (previous == null) {
            g.writeNull();
        } else {
            g.writeString(status(previous));
        }
    }

    /** The cause, or {@code null} for initial state, which has none. */
    private static void writeCause(JsonGenerator g, Cause cause) throws IOException {
        if (cause == null) {
            g.writeNullField("cause");
            return;
        }
        g.writeObjectFieldStart("cause");
        g.writeStringField("type", cause.getEventType());
        if (cause.getEventId() != null) {
            g.writeStringField("id", cause.getEventId());
        }
        if (cause.getTopic() != null) {
            g.writeStringField("topic", cause.getTopic());
        }
        if (cause.getPartition() != null) {
            g.writeNumberField("partition", cause.getPartition());
        }
        if (cause.getOffset() != null) {
            g.writeNumberField("offset", cause.getOffset());
        }
        g.writeStringField("time", cause.getEventTime().toString());
        g.writeEndObject();
    }

    /** A flag a record may lack (written before the field existed): null then, meaning unknown. */
    private static void writeBoolean(JsonGenerator g, String field, Boolean value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeBooleanField(field, value);
        }
    }

    /** An instant as ISO-8601 like {@code cause.time}; null when the record has none. */
    private static void writeTime(JsonGenerator g, String field, Instant value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value.toString());
        }
    }

    private static void writeStrings(JsonGenerator g, String field, java.util.List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }
}
