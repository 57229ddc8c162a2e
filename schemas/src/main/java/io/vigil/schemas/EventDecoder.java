package io.vigil.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vigil.avro.Container;
import io.vigil.avro.DataplaneDeleted;
import io.vigil.avro.DataplaneDraining;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.DataplaneSpec;
import io.vigil.avro.DataplaneUpserted;
import io.vigil.avro.Environment;
import io.vigil.avro.InboundHealth;
import io.vigil.avro.PodReadiness;
import io.vigil.avro.ProbeResult;
import io.vigil.avro.StreamConnected;
import io.vigil.avro.StreamDisconnected;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one event of SPEC section 1 from its JSON tree, reporting every problem at once.
 * Thread-safe: holds only immutable state.
 */
final class EventDecoder {

    /** The longest mesh or dataplane name, as for a Kubernetes resource name. */
    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_ID_LENGTH = 256;

    private static final String ENVIRONMENTS = "universal, kubernetes";
    private static final Members CONTAINER = Members.of("name", "ready", "ports");

    private final SpecDecoder specs;

    EventDecoder(ObjectWriter compactJson) {
        this.specs = new SpecDecoder(compactJson);
    }

    /** @throws EventFormatException listing every problem of the event */
    DataplaneEvent decode(JsonNode json) {
        Problems problems = new Problems();
        ObjectFields event = ObjectFields.of(json, JsonPath.ROOT, problems);
        if (event == null) {
            throw new EventFormatException(problems.list());
        }
        EventKind kind = kind(event);
        String mesh = name(event, "mesh");
        String dataplane = name(event, "dataplane");
        Instant time = event.requiredInstant("time");
        String id = id(event);
        Object payload = null;
        if (kind != null) {
            // Without a known kind nobody can tell which other members belong: only the kind is reported then.
            event.rejectUnknown(kind.members());
            payload = payload(kind, event);
        }
        if (!problems.isEmpty()) {
            throw new EventFormatException(problems.list());
        }
        return new DataplaneEvent(id, mesh, dataplane, time, payload);
    }

    private static EventKind kind(ObjectFields event) {
        JsonNode type = event.get("type");
        if (type == null) {
            event.problems().add(JsonPath.ROOT.member("type"), "missing; expected one of " + EventKind.JSON_NAMES);
            return null;
        }
        EventKind kind = type.isTextual() ? EventKind.fromJsonName(type.textValue()).orElse(null) : null;
        if (kind == null) {
            event.problems().add(JsonPath.ROOT.member("type"),
                    "expected one of " + EventKind.JSON_NAMES + ", got " + ObjectFields.describe(type));
        }
        return kind;
    }

    /** A mesh or dataplane name: one part of the Kafka key {@code mesh/dataplane}. */
    private static String name(ObjectFields event, String member) {
        String name = event.requiredText(member);
        if (name == null) {
            return null;
        }
        String problem = null;
        if (name.length() > MAX_NAME_LENGTH) {
            problem = "expected at most " + MAX_NAME_LENGTH + " characters, got " + name.length();
        } else if (name.indexOf('/') >= 0) {
            problem = "expected no \"/\" (it separates the parts of the Kafka key), got " + ObjectFields.describe(event.get(member));
        } else if (hasControlCharacter(name)) {
            problem = "expected no control characters, got " + ObjectFields.describe(event.get(member));
        }
        if (problem != null) {
            event.problems().add(JsonPath.ROOT.member(member), problem);
            return null;
        }
        return name;
    }

    private static String id(ObjectFields event) {
        String id = event.optionalText("id");
        if (id != null && id.length() > MAX_ID_LENGTH) {
            event.problems().add(JsonPath.ROOT.member("id"),
                    "expected at most " + MAX_ID_LENGTH + " characters, got " + id.length());
            return null;
        }
        return id;
    }

    private static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private Object payload(EventKind kind, ObjectFields event) {
        return switch (kind) {
            case DATAPLANE_UPSERTED -> upserted(event);
            case DATAPLANE_DELETED -> new DataplaneDeleted();
            case STREAM_CONNECTED -> new StreamConnected(event.requiredText("instance"), event.optionalText("stream"));
            case STREAM_DISCONNECTED -> new StreamDisconnected(event.requiredText("instance"), event.optionalText("stream"));
            case PROBE_RESULT -> probeResult(event);
            case POD_READINESS -> podReadiness(event);
            case DATAPLANE_DRAINING -> new DataplaneDraining();
            case INBOUND_HEALTH -> inboundHealth(event);
        };
    }

    private DataplaneUpserted upserted(ObjectFields event) {
        Environment environment = environment(event);
        ObjectFields specFields = event.requiredObject("spec");
        DataplaneSpec spec = specFields == null ? null : specs.spec(specFields);
        return event.isClean() ? new DataplaneUpserted(environment, spec) : null;
    }

    private static Environment environment(ObjectFields event) {
        JsonNode value = event.get("environment");
        if (value == null) {
            event.problems().add(JsonPath.ROOT.member("environment"), "missing; expected one of " + ENVIRONMENTS);
            return null;
        }
        if (value.isTextual()) {
            String text = value.textValue();
            if (text.equals("universal")) {
                return Environment.UNIVERSAL;
            }
            if (text.equals("kubernetes")) {
                return Environment.KUBERNETES;
            }
        }
        event.problems().add(JsonPath.ROOT.member("environment"),
                "expected one of " + ENVIRONMENTS + ", got " + ObjectFields.describe(value));
        return null;
    }

    private static ProbeResult probeResult(ObjectFields event) {
        Integer port = event.requiredInt("port", 1, 65535);
        Boolean healthy = event.requiredBoolean("healthy");
        String detail = event.optionalString("detail");
        return event.isClean() ? new ProbeResult(port, healthy, detail) : null;
    }

    private static InboundHealth inboundHealth(ObjectFields event) {
        Integer port = event.requiredInt("port", 1, 65535);
        Boolean ready = event.requiredBoolean("ready");
        return event.isClean() ? new InboundHealth(port, ready) : null;
    }

    private static PodReadiness podReadiness(ObjectFields event) {
        Boolean terminating = event.requiredBoolean("terminating");
        Boolean sidecarReady = event.requiredBoolean("sidecarReady");
        ArrayNode array = event.requiredArray("containers");
        List<Container> containers = array == null ? null : containers(array, event.problems());
        return event.isClean() ? new PodReadiness(terminating, sidecarReady, containers) : null;
    }

    private static List<Container> containers(ArrayNode array, Problems problems) {
        JsonPath arrayPath = JsonPath.ROOT.member("containers");
        List<Container> containers = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            ObjectFields container = ObjectFields.of(array.get(i), arrayPath.index(i), problems);
            if (container != null) {
                containers.add(container(container));
            }
        }
        return containers;
    }

    private static Container container(ObjectFields container) {
        container.rejectUnknown(CONTAINER);
        String name = container.requiredText("name");
        Boolean ready = container.requiredBoolean("ready");
        ArrayNode portArray = container.requiredArray("ports");
        List<Integer> ports = null;
        if (portArray != null) {
            JsonPath portsPath = container.path().member("ports");
            ports = new ArrayList<>(portArray.size());
            for (int i = 0; i < portArray.size(); i++) {
                ports.add(ObjectFields.integer(portArray.get(i), portsPath.index(i), 1, 65535, container.problems()));
            }
        }
        return container.isClean() ? new Container(name, ready, ports) : null;
    }
}
