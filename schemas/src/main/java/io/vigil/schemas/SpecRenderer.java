package io.vigil.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.avro.DataplaneSpec;
import io.vigil.avro.Gateway;
import io.vigil.avro.Health;
import io.vigil.avro.Inbound;
import io.vigil.avro.Networking;
import io.vigil.avro.ServiceProbe;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link DataplaneSpec} as the JSON resource body it came from: modelled members, then
 * back the unmodelled members kept in each {@code extra}. Thread-safe: holds only immutable state.
 */
final class SpecRenderer {

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final ObjectReader json;

    SpecRenderer(ObjectReader json) {
        this.json = json;
    }

    ObjectNode spec(DataplaneSpec spec) {
        ObjectNode out = withExtra(spec.getExtra(), "spec");
        out.set("networking", networking(spec.getNetworking()));
        return out;
    }

    private ObjectNode networking(Networking networking) {
        ObjectNode out = withExtra(networking.getExtra(), "spec.networking");
        out.put("address", networking.getAddress());
        // An empty inbound list is written as no list: the schema cannot tell them apart, and both mean zero inbounds.
        if (!networking.getInbound().isEmpty()) {
            ArrayNode inbounds = out.putArray("inbound");
            for (Inbound inbound : networking.getInbound()) {
                inbounds.add(inbound(inbound));
            }
        }
        if (networking.getGateway() != null) {
            out.set("gateway", gateway(networking.getGateway()));
        }
        return out;
    }

    private ObjectNode inbound(Inbound inbound) {
        ObjectNode out = withExtra(inbound.getExtra(), "an inbound");
        out.put("port", inbound.getPort());
        if (inbound.getServicePort() != null) {
            out.put("servicePort", inbound.getServicePort());
        }
        if (inbound.getAddress() != null) {
            out.put("address", inbound.getAddress());
        }
        out.set("tags", tags(inbound.getTags()));
        if (inbound.getHealth() != null) {
            out.set("health", health(inbound.getHealth()));
        }
        if (inbound.getServiceProbe() != null) {
            out.set("serviceProbe", serviceProbe(inbound.getServiceProbe()));
        }
        return out;
    }

    private ObjectNode health(Health health) {
        ObjectNode out = nodes.objectNode();
        if (health.getReady() != null) {
            out.put("ready", health.getReady());
        }
        return out;
    }

    private ObjectNode serviceProbe(ServiceProbe probe) {
        ObjectNode out = nodes.objectNode();
        if (probe.getIntervalMillis() != null) {
            out.put("interval", GoDuration.format(probe.getIntervalMillis()));
        }
        if (probe.getTimeoutMillis() != null) {
            out.put("timeout", GoDuration.format(probe.getTimeoutMillis()));
        }
        if (probe.getHealthyThreshold() != null) {
            out.put("healthyThreshold", probe.getHealthyThreshold());
        }
        if (probe.getUnhealthyThreshold() != null) {
            out.put("unhealthyThreshold", probe.getUnhealthyThreshold());
        }
        if (probe.getTcp() != null) {
            out.putObject("tcp");
        }
        if (probe.getHttp() != null) {
            out.putObject("http").put("path", probe.getHttp().getPath());
        }
        return out;
    }

    private ObjectNode gateway(Gateway gateway) {
        ObjectNode out = withExtra(gateway.getExtra(), "spec.networking.gateway");
        out.set("tags", tags(gateway.getTags()));
        return out;
    }

    /** Tags sorted by key, so that one event always renders the same text whatever map it was decoded into. */
    private ObjectNode tags(Map<String, String> tags) {
        ObjectNode out = nodes.objectNode();
        new TreeMap<>(tags).forEach(out::put);
        return out;
    }

    private ObjectNode withExtra(String extra, String owner) {
        if (extra == null) {
            return nodes.objectNode();
        }
        try {
            JsonNode members = json.readTree(extra);
            if (members.isObject()) {
                return (ObjectNode) members;
            }
        } catch (JsonProcessingException malformed) {
            throw new IllegalArgumentException("extra of " + owner + " is not JSON: " + malformed.getOriginalMessage(), malformed);
        }
        throw new IllegalArgumentException("extra of " + owner + " is not a JSON object: " + extra);
    }
}
