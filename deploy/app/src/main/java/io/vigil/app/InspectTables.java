package io.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** kumactl-style tables of what {@code vigil inspect} fetched. */
final class InspectTables {

    private final boolean color;

    InspectTables(boolean color) {
        this.color = color;
    }

    String render(InspectCommand.What what, JsonNode result) {
        return switch (what) {
            case meshes -> meshes(result);
            case dataplanes -> dataplanes(result);
            case services -> services(result);
            case dataplane -> dataplane(result);
            case service -> service(result);
        };
    }

    private String meshes(JsonNode meshes) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("MESH", "DATAPLANES", "ONLINE", "OFFLINE", "PARTIALLY DEGRADED", "SERVICES", "SERVICES ONLINE"));
        for (JsonNode mesh : meshes) {
            JsonNode dp = mesh.get("dataplanes");
            JsonNode svc = mesh.get("services");
            rows.add(List.of(mesh.get("mesh").asText(), dp.get("total").asText(), dp.get("online").asText(), dp.get("offline").asText(),
                    dp.get("partiallyDegraded").asText(), svc.get("total").asText(), svc.get("online").asText()));
        }
        return TextTable.render(rows);
    }

    private String dataplanes(JsonNode dataplanes) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("MESH", "NAME", "STATUS", "CONNECTED", "INBOUNDS", "SERVICES"));
        for (JsonNode dp : dataplanes) {
            int ready = 0;
            for (JsonNode inbound : dp.get("inbounds")) {
                ready += inbound.get("ready").asBoolean() ? 1 : 0;
            }
            rows.add(List.of(dp.get("mesh").asText(), dp.get("name").asText(), status(dp), dp.get("connected").asBoolean() ? "yes" : "no",
                    ready + "/" + dp.get("inbounds").size(), join(dp.get("services"))));
        }
        return table(rows);
    }

    private String services(JsonNode services) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("SERVICE", "STATUS", "DATAPLANES", "ENDPOINTS"));
        for (JsonNode svc : services) {
            JsonNode counts = svc.get("dataplanes");
            rows.add(List.of(svc.get("name").asText(), status(svc), counts.get("online").asText() + "/" + counts.get("total").asText(),
                    svc.get("endpointCount").asText()));
        }
        return table(rows);
    }

    private String dataplane(JsonNode dp) {
        StringBuilder out = new StringBuilder();
        out.append("DATAPLANE ").append(dp.get("mesh").asText()).append('/').append(dp.get("name").asText())
                .append("  ").append(status(dp)).append("  connected: ").append(dp.get("connected").asBoolean() ? "yes" : "no")
                .append("  version: ").append(dp.get("version").asText()).append("\n\n");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("PORT", "SERVICE", "READY", "ADDRESS"));
        for (JsonNode inbound : dp.get("inbounds")) {
            rows.add(List.of(inbound.get("port").asText(), inbound.get("service").asText(),
                    inbound.get("ready").asBoolean() ? "yes" : "no", inbound.get("address").asText()));
        }
        out.append(TextTable.render(rows));
        if (!dp.get("reasons").isEmpty()) {
            out.append("\nREASONS\n");
            dp.get("reasons").forEach(reason -> out.append("  ").append(reason.asText()).append('\n'));
        }
        return out.toString();
    }

    private String service(JsonNode svc) {
        JsonNode counts = svc.get("dataplanes");
        StringBuilder out = new StringBuilder();
        out.append("SERVICE ").append(svc.get("mesh").asText()).append('/').append(svc.get("name").asText())
                .append("  ").append(status(svc)).append("  dataplanes: ").append(counts.get("online").asText()).append(" online, ")
                .append(counts.get("offline").asText()).append(" offline, ").append(counts.get("partiallyDegraded").asText())
                .append(" partially degraded of ").append(counts.get("total").asText())
                .append("  version: ").append(svc.get("version").asText()).append("\n\n");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("DATAPLANE", "ADDRESS", "PORT"));
        for (JsonNode endpoint : svc.get("endpoints")) {
            rows.add(List.of(endpoint.get("dataplane").asText(), endpoint.get("address").asText(), endpoint.get("port").asText()));
        }
        return out.append(TextTable.render(rows)).toString();
    }

    /**
     * One change of a watch: {@code TIME  LEVEL  KEY  PREVIOUS -> STATUS  vVERSION  CAUSE}, the time
     * being the causing event's; a removal says {@code removed}.
     */
    String changeLine(JsonNode change) {
        JsonNode state = change.path("state");
        String previous = change.path("previousStatus").isNull() ? "new" : label(change.path("previousStatus").asText());
        String now = state.isNull() ? "removed" : label(state.path("status").asText());
        return String.join("  ", change.path("cause").path("time").asText(), change.path("level").asText(), change.path("key").asText(),
                previous + " -> " + now, "v" + change.path("version").asText(), change.path("cause").path("type").asText());
    }

    private String label(String wire) {
        return color ? StatusLabel.colored(wire) : StatusLabel.plain(wire);
    }

    private String status(JsonNode entity) {
        return label(entity.get("status").asText());
    }

    /** Colour escapes take no room on screen: pad the status column as if they were not there. */
    private String table(List<List<String>> rows) {
        if (!color) {
            return TextTable.render(rows);
        }
        return TextTable.render(rows, StatusLabel.invisibleWidth());
    }

    private static String join(JsonNode values) {
        List<String> texts = new ArrayList<>();
        values.forEach(v -> texts.add(v.asText()));
        return String.join(",", texts);
    }
}
