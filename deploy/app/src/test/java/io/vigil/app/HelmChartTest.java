package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart {@code deploy/helm/vigil} against the kustomize manifests {@code deploy/kubernetes}
 * (which {@link KubernetesManifestsTest} checks against the app): with its default values the chart
 * must deploy the same roles in the same Deployments, with the same container port, environment
 * variables (the chart may add only its optional ones), probes, image, volumes, security contexts,
 * resources, disruption budgets, Services and the k8s-watcher's ServiceAccount and RBAC.
 *
 * <p>Without Helm (Debian does not package it) the templates are read as {@link HelmChart}
 * skeletons: a field a template takes from {@code .Values} is compared as the default value it
 * gets; a field from another action (a helper, the release) matches anything, and the helpers
 * those fields use are checked on their own.
 */
class HelmChartTest {

    /** Variables only the chart sets, each behind an option that is off by default. */
    private static final Set<String> CHART_ONLY = Set.of("VIGIL_KAFKA_CONFIG", "VIGIL_TLS_CERT", "VIGIL_TLS_KEY", "VIGIL_TLS_PORT",
            "VIGIL_INSECURE_REQUESTS");
    private static final List<String> PROBES = List.of("startupProbe", "readinessProbe", "livenessProbe");
    private static final Pattern VALUE = Pattern.compile("^\\$?\\.Values\\.([A-Za-z0-9_.]+)(\\s*\\|\\s*quote)?$");

    private final HelmChart chart = HelmChart.load();
    private final KubernetesManifests manifests = KubernetesManifests.load();
    private final JsonNode values = chart.values();

    @Test
    void everyKustomizeDeploymentIsADeploymentOfTheChartWithTheSameRolesAndShape() {
        Map<String, JsonNode> kustomize = new TreeMap<>();
        manifests.ofKind("Deployment").forEach(d -> kustomize.put(component(d), d));
        Set<String> charted = new TreeSet<>();
        values.path("deployments").fieldNames().forEachRemaining(charted::add);
        assertThat(charted).as("values.yaml deployments").isEqualTo(kustomize.keySet());

        for (Map.Entry<String, JsonNode> entry : kustomize.entrySet()) {
            String name = entry.getKey();
            JsonNode deployment = entry.getValue();
            JsonNode d = values.path("deployments").path(name);
            Map<String, String> env = manifests.environment(manifests.containers(deployment).get(0));
            assertThat(d.path("enabled").asBoolean()).as(name + " enabled").isTrue();
            List<String> roles = new ArrayList<>();
            d.path("roles").forEach(r -> roles.add(r.asText()));
            assertThat(String.join(",", roles)).as(name + " roles").isEqualTo(env.get("VIGIL_ROLES"));
            assertThat(d.path("replicas").asInt()).as(name + " replicas").isEqualTo(deployment.path("spec").path("replicas").asInt());
            assertThat(d.path("strategy").asText()).as(name + " strategy")
                    .isEqualTo(deployment.path("spec").path("strategy").path("type").asText());
            assertThat(d.path("tokens").asBoolean()).as(name + " mounts the tokens").isEqualTo(env.containsKey("VIGIL_TOKENS_FILE"));
            assertThat(d.path("resources")).as(name + " resources").isEqualTo(manifests.containers(deployment).get(0).path("resources"));
            JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
            assertThat(d.path("service").asBoolean()).as(name + " has a Service")
                    .isEqualTo(manifests.ofKind("Service").stream().anyMatch(s -> KubernetesManifests.selects(s.path("spec").path("selector"), labels)));
            JsonNode budget = manifests.ofKind("PodDisruptionBudget").stream()
                    .filter(p -> KubernetesManifests.selects(p.path("spec").path("selector"), labels)).findFirst().orElseThrow();
            ObjectNode budgetSpec = budget.path("spec").deepCopy();
            budgetSpec.remove("selector");
            assertThat(d.path("disruptionBudget")).as(name + " disruption budget").isEqualTo(budgetSpec);
        }
        JsonNode skeleton = chart.one("Deployment");
        assertThat(variable(skeleton, "VIGIL_ROLES").path("value").asText()).contains("$d.roles");
        assertThat(HelmChart.action(skeleton.path("spec").path("replicas"))).isEqualTo("$d.replicas");
        assertThat(HelmChart.action(skeleton.path("spec").path("strategy").path("type"))).isEqualTo("$d.strategy");
        assertThat(chart.templates().get("deployment.yaml")).contains("toYaml $d.resources", "if $d.tokens");
        assertThat(chart.templates().get("poddisruptionbudget.yaml")).contains("toYaml $d.disruptionBudget");
        assertThat(chart.templates().get("service.yaml")).contains("$d.service");
    }

    @Test
    void containersHaveTheKustomizePortProbesEnvironmentVolumesAndImage() {
        JsonNode skeletonPod = chart.one("Deployment").path("spec").path("template").path("spec");
        JsonNode skeleton = skeletonPod.path("containers").get(0);
        assertThat(chart.templates().get("_helpers.tpl")).as("the image: repository, then the tag or else the chart's appVersion")
                .contains("{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}");
        assertThat(chart.templates().get("_helpers.tpl")).as("probes and Services use the http port without TLS")
                .contains("{{ if .Values.tls.enabled }}https{{ else }}http{{ end }}");
        String image = values.path("image").path("repository").asText() + ":"
                + (values.path("image").path("tag").asText().isEmpty() ? chart.chart().path("appVersion").asText() : values.path("image").path("tag").asText());
        assertThat(image).as("the chart's image").isEqualTo("vigil:" + KubernetesManifestsTest.buildProperties().getProperty("vigil.version"));

        for (JsonNode deployment : manifests.ofKind("Deployment")) {
            String name = component(deployment);
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode container = manifests.containers(deployment).get(0);
            assertThat(container.path("image").asText()).as(name + " image").isEqualTo(image);
            assertMatches(name + " args", container.path("args"), skeleton.path("args"));
            assertMatches(name + " imagePullPolicy", container.path("imagePullPolicy"), skeleton.path("imagePullPolicy"));
            assertMatches(name + " terminationGracePeriodSeconds", pod.path("terminationGracePeriodSeconds"),
                    skeletonPod.path("terminationGracePeriodSeconds"));
            assertThat(values.path("podSecurityContext")).as(name + " pod securityContext").isEqualTo(pod.path("securityContext"));
            assertThat(values.path("containerSecurityContext")).as(name + " container securityContext").isEqualTo(container.path("securityContext"));
            for (JsonNode port : container.path("ports")) {
                assertMatches(name + " port " + port.path("name").asText(), port, named(skeleton.path("ports"), port.path("name").asText()));
            }
            Set<String> probes = new TreeSet<>();
            container.fieldNames().forEachRemaining(f -> {
                if (f.endsWith("Probe")) {
                    probes.add(f);
                }
            });
            assertThat(probes).as(name + " probes").containsExactlyInAnyOrderElementsOf(PROBES);
            for (String probe : PROBES) {
                assertMatches(name + " " + probe, container.path(probe), skeleton.path(probe));
            }
            for (JsonNode variable : container.path("env")) {
                if (!variable.path("name").asText().equals("VIGIL_ROLES")) {
                    assertMatches(name + " env " + variable.path("name").asText(), variable, variable(chart.one("Deployment"), variable.path("name").asText()));
                }
            }
            for (JsonNode mount : container.path("volumeMounts")) {
                assertMatches(name + " volumeMount " + mount.path("name").asText(), mount, named(skeleton.path("volumeMounts"), mount.path("name").asText()));
            }
            for (JsonNode volume : pod.path("volumes")) {
                assertMatches(name + " volume " + volume.path("name").asText(), volume, named(skeletonPod.path("volumes"), volume.path("name").asText()));
            }
        }
        assertThat(chart.templates().get("deployment.yaml")).contains("toYaml $.Values.podSecurityContext", "toYaml $.Values.containerSecurityContext",
                "envFrom:", "name: {{ $.Release.Name }}-config");
    }

    @Test
    void theChartSetsTheKustomizeEnvironmentWithTheSameValuesAndOnlySettingsOfVigil() {
        Map<String, String> kustomize = new TreeMap<>();
        for (JsonNode configMap : manifests.ofKind("ConfigMap")) {
            configMap.path("data").properties().forEach(e -> kustomize.put(e.getKey(), e.getValue().asText()));
        }
        Set<String> kustomizeNames = new TreeSet<>(kustomize.keySet());
        manifests.ofKind("Deployment").forEach(d -> manifests.containers(d).get(0).path("env")
                .forEach(v -> kustomizeNames.add(v.path("name").asText())));

        Map<String, JsonNode> chartConfig = new TreeMap<>();
        chart.one("ConfigMap").path("data").properties().forEach(e -> {
            if (HelmChart.action(JsonNodeFactory.instance.textNode(e.getKey())) == null) {
                chartConfig.put(e.getKey(), resolve(e.getValue()));
            }
        });
        values.path("config").properties().forEach(e -> chartConfig.put(e.getKey(), e.getValue()));
        Set<String> chartNames = new TreeSet<>(chartConfig.keySet());
        chart.one("Deployment").path("spec").path("template").path("spec").path("containers").get(0).path("env")
                .forEach(v -> chartNames.add(v.path("name").asText()));

        assertThat(chartNames).as("variables the chart sets").containsAll(kustomizeNames);
        Set<String> extra = new TreeSet<>(chartNames);
        extra.removeAll(kustomizeNames);
        assertThat(extra).as("variables only the chart sets").isEqualTo(CHART_ONLY);
        Map<String, String> settings = AppSettings.environmentVariables();
        assertThat(chartNames).as("variables vigil reads").allMatch(name -> KubernetesManifestsTest.readByVigil(name, settings));
        kustomize.forEach((name, value) -> assertMatches("ConfigMap " + name, JsonNodeFactory.instance.textNode(value), chartConfig.get(name)));
        assertThat(chart.templates().get("configmap.yaml")).contains("range $key, $value := .Values.config");
    }

    @Test
    void servicesBudgetsAndTheServiceMonitorSelectTheChartsPods() {
        for (JsonNode service : manifests.ofKind("Service")) {
            for (JsonNode port : service.path("spec").path("ports")) {
                assertThat(port.path("port").asInt()).as("Service " + service.path("metadata").path("name").asText())
                        .isEqualTo(values.path("http").path("port").asInt());
            }
        }
        JsonNode service = chart.one("Service");
        JsonNode monitor = chart.one("ServiceMonitor");
        assertThat(monitor.path("spec").path("endpoints").get(0).path("path").asText()).isEqualTo("/q/metrics");
        assertThat(chart.templates().get("service.yaml")).contains("include \"vigil.selectorLabels\"", "$.Values.serviceMonitor.enabled");
        assertThat(chart.templates().get("poddisruptionbudget.yaml")).contains("include \"vigil.selectorLabels\"");
        assertThat(chart.templates().get("_helpers.tpl")).contains("app.kubernetes.io/name: vigil\napp.kubernetes.io/instance: {{ .Release.Name }}");
        monitor.path("spec").path("selector").path("matchLabels").properties().forEach(label ->
                assertThat(chart.templates().get("_helpers.tpl")).as("the ServiceMonitor selects by " + label.getKey() + ", which every object has")
                        .contains(label.getKey() + ": "));
        assertThat(service.path("spec").path("ports")).hasSize(1);
        assertThat(values.path("serviceMonitor").path("enabled").asBoolean()).as("a ServiceMonitor needs the operator's CRDs: off by default").isFalse();
    }

    @Test
    void thePodWatcherHasTheKustomizeServiceAccountAndClusterRules() {
        JsonNode watcher = manifests.ofKind("Deployment").stream().filter(d -> d.path("spec").path("template").path("spec").has("serviceAccountName"))
                .findFirst().orElseThrow();
        String account = watcher.path("spec").path("template").path("spec").path("serviceAccountName").asText();
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode binding : Stream.concat(manifests.ofKind("ClusterRoleBinding").stream(), manifests.ofKind("RoleBinding").stream()).toList()) {
            if (binding.path("subjects").toString().contains("\"name\":\"" + account + "\"")) {
                manifests.named(binding.path("roleRef").path("kind").asText(), binding.path("roleRef").path("name").asText())
                        .ifPresent(role -> role.path("rules").forEach(rules::add));
            }
        }
        values.path("deployments").properties().forEach(d -> assertThat(d.getValue().path("serviceAccount").path("create").asBoolean())
                .as(d.getKey() + " has a ServiceAccount of its own").isEqualTo(d.getKey().equals(component(watcher))));
        List<JsonNode> charted = new ArrayList<>();
        values.path("deployments").path(component(watcher)).path("serviceAccount").path("clusterRules").forEach(charted::add);
        assertThat(charted).as("rules of " + component(watcher) + "'s ClusterRole").isEqualTo(rules);

        assertThat(chart.one("ServiceAccount").path("metadata").path("name").asText()).contains("$name");
        JsonNode binding = chart.one("ClusterRoleBinding");
        assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(chart.one("ClusterRole").path("metadata").path("name").asText());
        assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo(chart.one("ServiceAccount").path("metadata").path("name").asText());
        assertThat(chart.one("Deployment").path("spec").path("template").path("spec").path("serviceAccountName").asText())
                .isEqualTo(chart.one("ServiceAccount").path("metadata").path("name").asText());
        assertThat(chart.templates().get("rbac.yaml")).contains("toYaml $sa.clusterRules");
    }

    @Test
    void skeletonsKeepLiteralsAndMarkActions() {
        String skeleton = HelmChart.skeleton("{{- if .Values.x }}\nname: {{ $.Release.Name }}-{{ $name }}\n  {{- toYaml . | nindent 2 }}\nport: 8080\n{{- end }}\n");
        assertThat(skeleton).isEqualTo("name: TPL($.Release.Name)-TPL($name)\nport: 8080\n\n");
        assertThat(resolve(JsonNodeFactory.instance.textNode("TPL($.Values.http.port)")).asText()).isEqualTo("8080");
        assertThat(matches(JsonNodeFactory.instance.textNode("8080"), JsonNodeFactory.instance.textNode("TPL(include \"x\" $)"))).isTrue();
        assertThat(matches(JsonNodeFactory.instance.textNode("8081"), JsonNodeFactory.instance.textNode("TPL($.Values.http.port)"))).isFalse();
    }

    /** A skeleton node with every {@code TPL(.Values.x)} leaf replaced by the default value of x. */
    private JsonNode resolve(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), resolve(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> copy.add(resolve(e)));
            return copy;
        }
        String action = HelmChart.action(node);
        if (action == null) {
            return node;
        }
        Matcher value = VALUE.matcher(action);
        if (!value.matches()) {
            return node;
        }
        JsonNode resolved = values;
        for (String step : value.group(1).split("\\.")) {
            resolved = resolved.path(step);
        }
        assertThat(resolved.isMissingNode()).as("values.yaml has " + value.group(1) + ", which a template uses").isFalse();
        return resolved;
    }

    /**
     * Whether the chart's skeleton node, resolved, renders {@code expected}: same fields (the
     * skeleton may add only fields that come from other actions, like a probe's TLS scheme), same
     * elements, same scalars; a leaf from an action other than a value matches anything.
     */
    private boolean matches(JsonNode expected, JsonNode skeleton) {
        JsonNode actual = resolve(skeleton);
        if (HelmChart.action(actual) != null) {
            return true;
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                if (!actual.has(field.getKey()) || !matches(field.getValue(), actual.get(field.getKey()))) {
                    return false;
                }
            }
            Map<String, JsonNode> extra = new HashMap<>();
            actual.properties().forEach(e -> {
                if (!expected.has(e.getKey())) {
                    extra.put(e.getKey(), e.getValue());
                }
            });
            return extra.values().stream().allMatch(v -> HelmChart.action(v) != null);
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!matches(expected.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return !actual.isContainerNode() && expected.asText().equals(actual.asText());
    }

    private void assertMatches(String what, JsonNode kustomize, JsonNode skeleton) {
        assertThat(skeleton).as(what + ": the chart has none").isNotNull();
        assertThat(matches(kustomize, skeleton)).as(what + ": kustomize " + kustomize + ", the chart " + resolve(skeleton)).isTrue();
    }

    private static JsonNode named(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (name.equals(item.path("name").asText())) {
                return item;
            }
        }
        return null;
    }

    private static JsonNode variable(JsonNode deployment, String name) {
        JsonNode found = named(deployment.path("spec").path("template").path("spec").path("containers").get(0).path("env"), name);
        if (found == null) {
            throw new AssertionError("the chart's Deployment sets no " + name);
        }
        return found;
    }

    private static String component(JsonNode document) {
        return document.path("metadata").path("labels").path("app.kubernetes.io/component").asText();
    }
}
