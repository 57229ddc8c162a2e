package io.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every document of every YAML file in {@code deploy/kubernetes}, parsed, with the look-ups the
 * manifest checks need. Immutable once loaded; safe to share between threads.
 */
final class KubernetesManifests {

    /** The folder, relative to the app module that Maven runs the tests in. */
    static final Path FOLDER = Path.of("..", "kubernetes");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, List<JsonNode>> byFile;

    private KubernetesManifests(Map<String, List<JsonNode>> byFile) {
        this.byFile = byFile;
    }

    static KubernetesManifests load() {
        return load(FOLDER);
    }

    static KubernetesManifests load(Path folder) {
        Map<String, List<JsonNode>> byFile = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                List<JsonNode> documents = new ArrayList<>();
                try (MappingIterator<JsonNode> parsed = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (parsed.hasNext()) {
                        JsonNode document = parsed.next();
                        if (document != null && !document.isNull() && !document.isEmpty()) {
                            documents.add(document);
                        }
                    }
                }
                byFile.put(file.getFileName().toString(), documents);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifests in " + folder.toAbsolutePath(), e);
        }
        return new KubernetesManifests(byFile);
    }

    /** File names, each with its documents. */
    Map<String, List<JsonNode>> files() {
        return byFile;
    }

    List<JsonNode> all() {
        return byFile.values().stream().flatMap(List::stream).toList();
    }

    List<JsonNode> ofKind(String kind) {
        return all().stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    Optional<JsonNode> named(String kind, String name) {
        return ofKind(kind).stream().filter(d -> name.equals(d.path("metadata").path("name").asText())).findFirst();
    }

    /** The pod template's containers of every Deployment. */
    List<JsonNode> containers(JsonNode deployment) {
        List<JsonNode> containers = new ArrayList<>();
        deployment.path("spec").path("template").path("spec").path("containers").forEach(containers::add);
        return containers;
    }

    /**
     * The environment a container starts with: the ConfigMaps it takes whole, then its own
     * variables on top (a {@code valueFrom} variable counts with an empty value: it is set, but
     * only the cluster knows to what).
     */
    Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String configMap = from.path("configMapRef").path("name").asText();
            JsonNode data = named("ConfigMap", configMap)
                    .orElseThrow(() -> new AssertionError("envFrom names ConfigMap " + configMap + ", which no manifest defines"))
                    .path("data");
            data.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        for (JsonNode variable : container.path("env")) {
            env.put(variable.path("name").asText(), variable.path("value").asText(""));
        }
        return env;
    }

    /** Whether {@code selector}'s matchLabels all hold on {@code labels}. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        JsonNode match = selector.has("matchLabels") ? selector.path("matchLabels") : selector;
        if (match.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> label : match.properties()) {
            if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }
}
