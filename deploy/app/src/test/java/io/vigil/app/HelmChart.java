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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Helm chart in {@code deploy/helm/vigil}, read without Helm (which Debian does not package):
 * {@code Chart.yaml} and {@code values.yaml} parsed, and each template as its skeleton, the YAML
 * it is once every line that holds only template actions ({@code if}, {@code range},
 * {@code toYaml ... | nindent}) is dropped and every other action is replaced by the scalar
 * {@code TPL(action)}. A skeleton keeps both branches of an {@code if}, so it shows what a template
 * can render and which value each field takes, not one rendering. Immutable once loaded.
 */
final class HelmChart {

    /** The chart, relative to the app module that Maven runs the tests in. */
    static final Path FOLDER = Path.of("..", "helm", "vigil");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");

    private final JsonNode chart;
    private final JsonNode values;
    private final Map<String, String> templates;
    private final Map<String, List<JsonNode>> skeletons;

    private HelmChart(JsonNode chart, JsonNode values, Map<String, String> templates, Map<String, List<JsonNode>> skeletons) {
        this.chart = chart;
        this.values = values;
        this.templates = templates;
        this.skeletons = skeletons;
    }

    static HelmChart load() {
        try {
            JsonNode chart = YAML.readTree(FOLDER.resolve("Chart.yaml").toFile());
            JsonNode values = YAML.readTree(FOLDER.resolve("values.yaml").toFile());
            Map<String, String> templates = new LinkedHashMap<>();
            Map<String, List<JsonNode>> skeletons = new LinkedHashMap<>();
            try (Stream<Path> files = Files.list(FOLDER.resolve("templates"))) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    String text = Files.readString(file);
                    templates.put(name, text);
                    if (name.endsWith(".yaml")) {
                        skeletons.put(name, parse(skeleton(text)));
                    }
                }
            }
            return new HelmChart(chart, values, templates, skeletons);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the chart in " + FOLDER.toAbsolutePath(), e);
        }
    }

    /** The template's text with action-only lines dropped and the other actions as {@code TPL(...)}. */
    static String skeleton(String template) {
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\n", -1)) {
            if (line.contains("{{") && ACTION.matcher(line).replaceAll("").isBlank()) {
                continue;
            }
            out.append(ACTION.matcher(line).replaceAll(m -> Matcher.quoteReplacement("TPL(" + m.group(1) + ")"))).append('\n');
        }
        return out.toString();
    }

    private static List<JsonNode> parse(String yaml) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> parsed = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (parsed.hasNext()) {
                JsonNode document = parsed.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    JsonNode chart() {
        return chart;
    }

    JsonNode values() {
        return values;
    }

    /** File name to text, {@code _helpers.tpl} and {@code NOTES.txt} included. */
    Map<String, String> templates() {
        return templates;
    }

    /** Every template's skeleton documents of that kind. */
    List<JsonNode> ofKind(String kind) {
        return skeletons.values().stream().flatMap(List::stream).filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    /** The one skeleton document of that kind. */
    JsonNode one(String kind) {
        List<JsonNode> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("the chart's templates have " + found.size() + " documents of kind " + kind + ", not one");
        }
        return found.get(0);
    }

    /** {@code TPL(x)} of a skeleton's field, or null when the field is literal. */
    static String action(JsonNode field) {
        String text = field.asText();
        return text.startsWith("TPL(") && text.endsWith(")") ? text.substring(4, text.length() - 1) : null;
    }
}
