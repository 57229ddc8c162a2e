package io.vigil.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.avro.DataplaneSpec;
import io.vigil.avro.Gateway;
import io.vigil.avro.Health;
import io.vigil.avro.HttpCheck;
import io.vigil.avro.Inbound;
import io.vigil.avro.Networking;
import io.vigil.avro.ServiceProbe;
import io.vigil.avro.TcpCheck;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the {@code spec} of a {@code dataplane-upserted} event: the Dataplane resource body.
 * Members the schema does not model are kept as JSON text in the enclosing record's {@code extra}
 * where it has one, and are an error where it has none. Thread-safe: holds only immutable state.
 */
final class SpecDecoder {

    private static final String SERVICE_TAG = "kuma.io/service";

    private static final Members SPEC = Members.of("networking");
    private static final Members NETWORKING = Members.of("address", "inbound", "gateway");
    private static final Members INBOUND = Members.of("port", "servicePort", "address", "tags", "health", "serviceProbe");
    private static final Members GATEWAY = Members.of("tags");
    private static final Members HEALTH = Members.of("ready");
    private static final Members SERVICE_PROBE =
            Members.of("interval", "timeout", "healthyThreshold", "unhealthyThreshold", "tcp", "http");
    private static final Members HTTP_CHECK = Members.of("path");

    private final ObjectWriter compactJson;

    SpecDecoder(ObjectWriter compactJson) {
        this.compactJson = compactJson;
    }

    DataplaneSpec spec(ObjectFields spec) {
        ObjectFields networkingFields = spec.requiredObject("networking");
        Networking networking = networkingFields == null ? null : networking(networkingFields);
        String extra = extra(spec, SPEC);
        return spec.isClean() ? new DataplaneSpec(networking, extra) : null;
    }

    private Networking networking(ObjectFields networking) {
        String address = networking.requiredText("address");
        ArrayNode inboundArray = networking.optionalArray("inbound");
        List<Inbound> inbounds = inboundArray == null ? List.of() : inbounds(inboundArray, networking);
        ObjectFields gatewayFields = networking.optionalObject("gateway");
        Gateway gateway = gatewayFields == null ? null : gateway(gatewayFields);
        if (gatewayFields != null && inboundArray != null && !inboundArray.isEmpty()) {
            networking.problems().add(networking.path(), "expected inbound or gateway, got both");
        }
        String extra = extra(networking, NETWORKING);
        return networking.isClean() ? new Networking(address, inbounds, gateway, extra) : null;
    }

    private List<Inbound> inbounds(ArrayNode array, ObjectFields networking) {
        JsonPath arrayPath = networking.path().member("inbound");
        List<Inbound> inbounds = new ArrayList<>(array.size());
        Map<Integer, Integer> firstIndexByPort = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            JsonPath at = arrayPath.index(i);
            ObjectFields inbound = ObjectFields.of(array.get(i), at, networking.problems());
            if (inbound == null) {
                continue;
            }
            inbounds.add(inbound(inbound));
            // Checked on the raw value so that a duplicate is reported even when the inbound has other problems.
            JsonNode port = inbound.get("port");
            if (port != null && port.isInt()) {
                Integer first = firstIndexByPort.putIfAbsent(port.intValue(), i);
                if (first != null) {
                    networking.problems().add(at.member("port"),
                            "duplicate port; expected each inbound port once, got " + port + " again (first at inbound[" + first + "])");
                }
            }
        }
        return inbounds;
    }

    private Inbound inbound(ObjectFields inbound) {
        Integer port = inbound.requiredInt("port", 1, 65535);
        Integer servicePort = inbound.optionalInt("servicePort", 1, 65535);
        String address = inbound.optionalText("address");
        Map<String, String> tags = serviceTags(inbound);
        ObjectFields healthFields = inbound.optionalObject("health");
        Health health = healthFields == null ? null : health(healthFields);
        ObjectFields probeFields = inbound.optionalObject("serviceProbe");
        ServiceProbe probe = probeFields == null ? null : serviceProbe(probeFields);
        String extra = extra(inbound, INBOUND);
        return inbound.isClean() ? new Inbound(port, servicePort, address, tags, health, probe, extra) : null;
    }

    private Gateway gateway(ObjectFields gateway) {
        Map<String, String> tags = serviceTags(gateway);
        String extra = extra(gateway, GATEWAY);
        return gateway.isClean() ? new Gateway(tags, extra) : null;
    }

    /** Tags that name the service: without it the inbound or gateway belongs to no service (SPEC section 4). */
    private static Map<String, String> serviceTags(ObjectFields owner) {
        Map<String, String> tags = owner.requiredStringMap("tags");
        if (tags == null) {
            return null;
        }
        String service = tags.get(SERVICE_TAG);
        JsonPath tagsPath = owner.path().member("tags");
        if (service == null && !owner.get("tags").has(SERVICE_TAG)) {
            owner.problems().add(tagsPath, "missing the " + SERVICE_TAG + " tag; expected a non-empty service name");
        } else if (service != null && service.isEmpty()) {
            owner.problems().add(tagsPath.member(SERVICE_TAG), "expected a non-empty service name, got \"\"");
        }
        return tags;
    }

    private static Health health(ObjectFields health) {
        health.rejectUnknown(HEALTH);
        // An empty section stays distinguishable from none: Health with ready null means not ready.
        Boolean ready = health.optionalBoolean("ready");
        return health.isClean() ? new Health(ready) : null;
    }

    private static ServiceProbe serviceProbe(ObjectFields probe) {
        probe.rejectUnknown(SERVICE_PROBE);
        Long interval = probe.optionalDurationMillis("interval");
        Long timeout = probe.optionalDurationMillis("timeout");
        Integer healthyThreshold = probe.optionalInt("healthyThreshold", 1, Integer.MAX_VALUE);
        Integer unhealthyThreshold = probe.optionalInt("unhealthyThreshold", 1, Integer.MAX_VALUE);
        ObjectFields tcpFields = probe.optionalObject("tcp");
        if (tcpFields != null) {
            tcpFields.rejectUnknown(Members.NONE);
        }
        ObjectFields httpFields = probe.optionalObject("http");
        HttpCheck http = httpFields == null ? null : httpCheck(httpFields);
        if (tcpFields != null && httpFields != null) {
            probe.problems().add(probe.path(), "expected at most one of tcp, http, got both");
        }
        return probe.isClean()
                ? new ServiceProbe(interval, timeout, healthyThreshold, unhealthyThreshold, tcpFields == null ? null : new TcpCheck(), http)
                : null;
    }

    private static HttpCheck httpCheck(ObjectFields http) {
        http.rejectUnknown(HTTP_CHECK);
        String path = http.requiredText("path");
        if (path != null && !path.startsWith("/")) {
            http.problems().add(http.path().member("path"),
                    "expected a path starting with \"/\", got " + ObjectFields.describe(http.get("path")));
        }
        return http.isClean() ? new HttpCheck(path) : null;
    }

    private String extra(ObjectFields owner, Members modelled) {
        ObjectNode unknown = owner.unknown(modelled);
        if (unknown == null) {
            return null;
        }
        try {
            return compactJson.writeValueAsString(unknown);
        } catch (JsonProcessingException cannotHappenForATree) {
            throw new UncheckedIOException(cannotHappenForATree);
        }
    }
}
