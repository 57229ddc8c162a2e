package io.vigil.schemas;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.avro.Container;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.DataplaneUpserted;
import io.vigil.avro.InboundHealth;
import io.vigil.avro.PodReadiness;
import io.vigil.avro.ProbeResult;
import io.vigil.avro.StreamConnected;
import io.vigil.avro.StreamDisconnected;
import java.util.Locale;

/**
 * Renders a {@link DataplaneEvent} as its SPEC section 1 JSON, in canonical form: times as
 * {@link java.time.Instant#toString()}, durations as Go writes them, optional members left out
 * when null. Thread-safe: holds only immutable state.
 */
final class EventRenderer {

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final SpecRenderer specs;

    EventRenderer(ObjectReader json) {
        this.specs = new SpecRenderer(json);
    }

    ObjectNode render(DataplaneEvent event) {
        EventKind kind = EventKind.of(event.getPayload());
        ObjectNode out = nodes.objectNode();
        out.put("type", kind.jsonName());
        out.put("mesh", event.getMesh());
        out.put("dataplane", event.getDataplane());
        out.put("time", event.getTime().toString());
        if (event.getId() != null) {
            out.put("id", event.getId());
        }
        Object payload = event.getPayload();
        switch (kind) {
            case DATAPLANE_UPSERTED -> {
                DataplaneUpserted upserted = (DataplaneUpserted) payload;
                out.put("environment", upserted.getEnvironment().name().toLowerCase(Locale.ROOT));
                out.set("spec", specs.spec(upserted.getSpec()));
            }
            case STREAM_CONNECTED -> {
                StreamConnected connected = (StreamConnected) payload;
                stream(out, connected.getInstance(), connected.getStream());
            }
            case STREAM_DISCONNECTED -> {
                StreamDisconnected disconnected = (StreamDisconnected) payload;
                stream(out, disconnected.getInstance(), disconnected.getStream());
            }
            case PROBE_RESULT -> {
                ProbeResult result = (ProbeResult) payload;
                out.put("port", result.getPort());
                out.put("healthy", result.getHealthy());
                if (result.getDetail() != null) {
                    out.put("detail", result.getDetail());
                }
            }
            case POD_READINESS -> podReadiness(out, (PodReadiness) payload);
            case INBOUND_HEALTH -> {
                InboundHealth health = (InboundHealth) payload;
                out.put("port", health.getPort());
                out.put("ready", health.getReady());
            }
            case DATAPLANE_DELETED, DATAPLANE_DRAINING -> {
                // the type says it all
            }
        }
        return out;
    }

    private static void stream(ObjectNode out, String instance, String stream) {
        out.put("instance", instance);
        if (stream != null) {
            out.put("stream", stream);
        }
    }

    private static void podReadiness(ObjectNode out, PodReadiness pod) {
        out.put("terminating", pod.getTerminating());
        out.put("sidecarReady", pod.getSidecarReady());
        ArrayNode containers = out.putArray("containers");
        for (Container container : pod.getContainers()) {
            ObjectNode c = containers.addObject();
            c.put("name", container.getName());
            c.put("ready", container.getReady());
            ArrayNode ports = c.putArray("ports");
            container.getPorts().forEach(ports::add);
        }
    }
}
