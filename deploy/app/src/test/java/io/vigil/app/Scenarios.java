package io.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The conformance scenarios (system property {@code conformance.dir}) and JSON helpers around them. */
final class Scenarios {

    static final ObjectMapper JSON = new ObjectMapper();

    private Scenarios() {
    }

    /** Skips the calling test, as the other modules' scenario tests do, where no scenarios are laid out. */
    static Path dir() {
        String dir = System.getProperty("conformance.dir");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "no conformance scenarios at " + dir + " (surefire sets conformance.dir to ../shared/conformance/scenarios)");
        return Path.of(dir);
    }

    static Path file(String name) {
        Path file = dir().resolve(name + ".jsonl");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no scenario " + file);
        }
        return file;
    }

    /** The names (without {@code .jsonl}) of every scenario that has an expected state beside it. */
    static Stream<String> names() {
        try (Stream<Path> files = Files.list(dir())) {
            List<String> names = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".jsonl"))
                    .map(n -> n.substring(0, n.length() - ".jsonl".length()))
                    .filter(n -> Files.exists(dir().resolve(n + ".expected.json")))
                    .sorted()
                    .toList();
            if (names.isEmpty()) {
                throw new IllegalStateException("no scenarios in " + dir());
            }
            return names.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The non-blank lines of a scenario. */
    static List<String> lines(String name) {
        try {
            return Files.readAllLines(file(name)).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode expected(String name) {
        return parse(dir().resolve(name + ".expected.json"));
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
