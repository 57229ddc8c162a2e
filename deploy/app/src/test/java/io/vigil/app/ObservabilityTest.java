package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/observability} against the application: every metric the Grafana dashboard and the
 * alert rules query is one that {@code /q/metrics} exports once each role has worked a little
 * (events in, changes through both stages and the projections, a refused request, a stage failure
 * forced by fencing its transactional producer), and the rule file has the shape Prometheus and
 * the prometheus-operator's {@code PrometheusRule} expect.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
@TestProfile(ObservabilityTest.KnownInstance.class)
class ObservabilityTest {

    /** A known aggregator instance id, so that the test can fence stage 1's transactional producer. */
    public static class KnownInstance implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.aggregator.instance-id", INSTANCE);
        }
    }

    static final Path FOLDER = Path.of("..", "observability");
    private static final String INSTANCE = "observability-test";
    private static final String TOKEN = "Bearer all-meshes-token";
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    /** The signals the dashboard must show, whatever else it shows. */
    private static final List<String> DASHBOARD_MUST_QUERY = List.of("vigil_ingest_events_total", "vigil_ingest_requests_total",
            "vigil_aggregator_consumer_lag", "vigil_aggregator_commit_seconds_sum", "vigil_aggregator_batch_seconds_sum",
            "vigil_aggregator_restore_seconds_count", "vigil_aggregator_dead_letters_total", "vigil_aggregator_failures_total",
            "vigil_aggregator_failures_in_a_row", "vigil_prober_checks_total", "vigil_prober_publish_failures_total",
            "vigil_prober_refused_targets_total", "vigil_projections_change_delay_seconds_sum", "vigil_projections_stream_clients");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Inject
    KafkaClients clients;

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryIsExported() throws Exception {
        Map<String, Set<String>> queried = new TreeMap<>();
        dashboardExpressions().forEach(e -> queried.computeIfAbsent("dashboard", k -> new TreeSet<>()).addAll(metricNames(e)));
        alertRules().forEach(rule -> queried.computeIfAbsent("alerts", k -> new TreeSet<>()).addAll(metricNames(rule.path("expr").asText())));
        assertThat(queried.get("dashboard")).containsAll(DASHBOARD_MUST_QUERY);

        exerciseEveryRole();

        Set<String> exported = exportedNames(given().get("/q/metrics").then().statusCode(200).extract().asString());
        queried.forEach((where, names) -> assertThat(names).as("metrics the " + where + " query that /q/metrics does not export")
                .allSatisfy(name -> assertThat(exported).as(name).contains(name)));
    }

    @Test
    void everyAlertRuleHasANameAnExpressionADurationASeverityAndASummary() throws IOException {
        JsonNode file = YAML.readTree(FOLDER.resolve("vigil-alerts.yaml").toFile());
        assertThat(file.path("groups").isArray() && !file.path("groups").isEmpty()).as("a non-empty groups: list").isTrue();
        Set<String> groups = new HashSet<>();
        Set<String> alerts = new HashSet<>();
        for (JsonNode group : file.path("groups")) {
            String name = group.path("name").asText();
            assertThat(name).as("a group's name").isNotBlank();
            assertThat(groups.add(name)).as("group " + name + " twice").isTrue();
            assertThat(group.path("rules").isArray() && !group.path("rules").isEmpty()).as(name + " has rules").isTrue();
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                assertThat(alert).as("a rule of " + name + " names its alert").isNotBlank();
                assertThat(alerts.add(alert)).as("alert " + alert + " twice").isTrue();
                assertThat(rule.path("expr").asText()).as(alert + " expr").isNotBlank();
                assertThat(metricNames(rule.path("expr").asText())).as(alert + " queries a metric").isNotEmpty();
                assertThat(rule.path("for").asText()).as(alert + " for").matches("(\\d+(ms|s|m|h|d|w|y))+");
                assertThat(rule.path("labels").path("severity").asText()).as(alert + " labels.severity").isIn(SEVERITIES);
                assertThat(rule.path("annotations").path("summary").asText()).as(alert + " annotations.summary").isNotBlank();
                Set<String> keys = new HashSet<>();
                rule.fieldNames().forEachRemaining(keys::add);
                assertThat(keys).as(alert + " fields").isSubsetOf("alert", "expr", "for", "labels", "annotations", "keep_firing_for");
            }
        }
    }

    @Test
    void theDashboardTakesItsPrometheusFromAVariable() throws IOException {
        JsonNode dashboard = JSON.readTree(FOLDER.resolve("vigil-dashboard.json").toFile());
        List<JsonNode> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(variables::add);
        assertThat(variables).as("a datasource variable of type prometheus").anySatisfy(v -> {
            assertThat(v.path("type").asText()).isEqualTo("datasource");
            assertThat(v.path("query").asText()).isEqualTo("prometheus");
            assertThat(v.path("name").asText()).isEqualTo("datasource");
        });
        List<JsonNode> panels = panels(dashboard);
        assertThat(panels).isNotEmpty();
        for (JsonNode panel : panels) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(panel.path("title").asText() + " targets").isNotEmpty();
            panel.path("targets").forEach(t -> assertThat(t.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                    .isEqualTo("${datasource}"));
        }
    }

    @Test
    void metricNamesAreTakenFromPromQlAndNothingElse() {
        assertThat(metricNames("sum by (job, stage) (rate(vigil_a_total{outcome!=\"accepted\", x=~\"$job\"}[$__rate_interval])) "
                + "/ on (job) group_left (x) sum without (le) (vigil_b_seconds_count offset 5m) > bool 0.1 and vigil_c unless 1e3"))
                .containsExactlyInAnyOrder("vigil_a_total", "vigil_b_seconds_count", "vigil_c");
        assertThat(metricNames("label_values(process_cpu_usage{job=\"x\"}, job)")).containsExactly("process_cpu_usage");
        assertThat(metricNames("label_values(job)")).isEmpty();
        assertThatThrownBy(() -> metricNames("sum(rate(vigil_a_total{x=\"(\"}[5m])")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> metricNames("sum(rate(vigil_a_total[5m)))")).isInstanceOf(AssertionError.class);
        assertThat(metricNames("sum(rate(vigil_a_total{x=\"([\"}[5m]))")).containsExactly("vigil_a_total");
        assertThat(exportedNames("# HELP a_total A\n# TYPE a_total counter\na_total{x=\"1\"} 2.0\nb_seconds_max 0.0\n"))
                .containsExactlyInAnyOrder("a_total", "b_seconds_max");
    }

    /** Events through ingest, both stages and the projections; a refused request; a stage failure. */
    private void exerciseEveryRole() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        String mesh = "observability-" + UUID.randomUUID().toString().substring(0, 8);
        // A producer with stage 1's transactional id fences the stage's own: its next transaction fails,
        // the stage counts the failure and starts over (fencing the intruder in turn).
        try (Producer<byte[], byte[]> intruder = clients.producer(ClientOptions.named("observability-test-fence")
                .require(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "vigil-aggregator-dataplanes-" + INSTANCE))) {
            intruder.initTransactions();
            post(upsert(mesh, "web-01"), 202);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> given().get("/q/metrics").asString().contains("vigil_aggregator_failures_total{"));
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/api/v1/meshes/" + mesh + "/services/web").statusCode() == 200);
        post("[{\"type\": \"no-such-event\"}]", 400);
    }

    private static void post(String body, int status) {
        given().contentType("application/json").header("Authorization", TOKEN).body(body).post("/api/v1/events").then().statusCode(status);
    }

    private static String upsert(String mesh, String dataplane) {
        return "[{\"type\": \"dataplane-upserted\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane + "\", "
                + "\"time\": \"2026-11-26T10:00:00Z\", \"environment\": \"universal\", \"spec\": {\"networking\": "
                + "{\"address\": \"127.0.0.1\", \"inbound\": [{\"port\": 8080, \"tags\": {\"kuma.io/service\": \"web\"}}]}}}]";
    }

    /** Every PromQL expression of the dashboard: its panels' targets (rows' too) and its query variables. */
    static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = JSON.readTree(FOLDER.resolve("vigil-dashboard.json").toFile());
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                expressions.add(query.isTextual() ? query.asText() : query.path("query").asText());
            }
        }
        assertThat(expressions).as("dashboard expressions").isNotEmpty().allSatisfy(e -> assertThat(e).isNotBlank());
        return expressions;
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    private static List<JsonNode> alertRules() throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        YAML.readTree(FOLDER.resolve("vigil-alerts.yaml").toFile()).path("groups").forEach(g -> g.path("rules").forEach(rules::add));
        return rules;
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);
    /** An identifier not inside another word or number and not called as a function. */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.$])[A-Za-z_:][A-Za-z0-9_:]*+(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    /**
     * The metric names a PromQL expression (or a Grafana {@code label_values} query) selects:
     * what is left of its identifiers once strings, label matchers, ranges, grouping clauses,
     * Grafana variables, function names and keywords are taken out.
     */
    static Set<String> metricNames(String expression) {
        assertBalanced(expression);
        String expr = expression;
        Matcher labelValues = LABEL_VALUES.matcher(expr);
        if (labelValues.matches()) {
            // label_values(metric, label) or label_values(label): only a first of two arguments is a selector.
            String arguments = labelValues.group(1);
            int comma = arguments.lastIndexOf(',');
            expr = comma < 0 ? "" : arguments.substring(0, comma);
        }
        expr = STRING.matcher(expr).replaceAll("\"\"");
        expr = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        expr = GROUPING.matcher(expr).replaceAll(" ");
        expr = expr.replaceAll("\\$\\{[^}]*}|\\$\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(expr);
        while (identifier.find()) {
            if (!KEYWORDS.contains(identifier.group())) {
                names.add(identifier.group());
            }
        }
        return names;
    }

    /** Brackets of every kind closed in order, outside strings: a typo there would hide metric names. */
    static void assertBalanced(String expression) {
        String outside = STRING.matcher(expression).replaceAll("\"\"");
        assertThat(outside.chars().filter(c -> c == '"').count() % 2).as("quotes of " + expression).isZero();
        Deque<Character> open = new ArrayDeque<>();
        for (char c : outside.toCharArray()) {
            if (c == '(' || c == '{' || c == '[') {
                open.push(c);
            } else if (c == ')' || c == '}' || c == ']') {
                char expected = c == ')' ? '(' : c == '}' ? '{' : '[';
                assertThat(open.isEmpty() ? null : open.pop()).as("'" + c + "' in " + expression).isEqualTo(expected);
            }
        }
        assertThat(open).as("unclosed brackets in " + expression).isEmpty();
    }

    /** The sample names of a Prometheus text exposition (a timer's {@code _count}, {@code _sum}, {@code _max} each). */
    static Set<String> exportedNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher name = Pattern.compile("^[A-Za-z_:][A-Za-z0-9_:]*").matcher(line);
            if (name.find()) {
                names.add(name.group());
            }
        }
        return names;
    }
}
