package io.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.conformance.ConformanceScenarios;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The conformance scenarios ({@link ConformanceScenarios}, from test-support) and JSON helpers around them. */
final class Scenarios {

    static final ObjectMapper JSON = new ObjectMapper();

    private Scenarios() {
    }

    static Path file(String name) {
        return ConformanceScenarios.named(name).events();
    }

    /** The names (without {@code .jsonl}) of every scenario, each with its expected state beside it. */
    static Stream<String> names() {
        return ConformanceScenarios.all().keySet().stream();
    }

    /** The non-blank lines of a scenario. */
    static List<String> lines(String name) {
        return ConformanceScenarios.named(name).eventLines();
    }

    static JsonNode expected(String name) {
        return parse(ConformanceScenarios.named(name).expected());
    }

    /** The scenario's lines with every mesh renamed to {@code mesh-suffix}, so that it cannot meet other tests' dataplanes. */
    static List<String> inOwnMeshes(String name, String suffix) {
        return lines(name).stream().map(line -> {
            ObjectNode event = (ObjectNode) parse(line);
            event.put("mesh", event.get("mesh").asText() + "-" + suffix);
            return event.toString();
        }).toList();
    }

    /** The meshes named by these event lines. */
    static Set<String> meshes(List<String> lines) {
        return Set.copyOf(lines.stream().map(l -> parse(l).get("mesh").asText()).toList());
    }

    /** A section 5 state narrowed to the dataplanes and services of {@code meshes}. */
    static JsonNode onlyMeshes(JsonNode state, Set<String> meshes) {
        ObjectNode narrowed = JSON.createObjectNode();
        for (String list : List.of("dataplanes", "services")) {
            ArrayNode kept = narrowed.putArray(list);
            state.get(list).forEach(entry -> {
                if (meshes.contains(entry.get("mesh").asText())) {
                    kept.add(entry);
                }
            });
        }
        return narrowed;
    }

    /**
     * A section 5 state without its per-entity versions: the live stage 2 coalesces a service's
     * changes per transaction and replay per file, so only the states themselves compare.
     */
    static JsonNode withoutVersions(JsonNode state) {
        JsonNode copy = state.deepCopy();
        for (String list : List.of("dataplanes", "services")) {
            copy.get(list).forEach(entry -> ((ObjectNode) entry).remove("version"));
        }
        return copy;
    }

    static Path write(Path file, List<String> lines) {
        try {
            return Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    static JsonNode parse(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
