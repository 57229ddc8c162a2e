package io.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.aggregator.runtime.PipelineHarness;
import io.vigil.aggregator.runtime.StageRunner;
import io.vigil.avro.DataplaneEvent;
import io.vigil.conformance.ConformanceScenarios;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each example, run as a downstream team runs it, over the change topics the real stages wrote
 * from every conformance scenario (each in meshes of its own): the last line it prints for each
 * entity says what the scenario's expected state says, and it saw every version of every entity.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "ex";
    private static final Map<String, JsonNode> expected = new TreeMap<>();

    @BeforeAll
    static void runTheStagesOverEveryScenario() throws Exception {
        List<DataplaneEvent> events = new ArrayList<>();
        for (ConformanceScenarios.Scenario scenario : ConformanceScenarios.all().values()) {
            String meshPrefix = PREFIX + scenario.name().substring(0, 2) + "-";
            for (String line : scenario.eventLines()) {
                DataplaneEvent event = EventJson.parse(line);
                event.setMesh(meshPrefix + event.getMesh());
                events.add(event);
            }
            expected.put(meshPrefix, JSON.readTree(scenario.expected().toFile()));
        }
        try (PipelineHarness kafka = new PipelineHarness(EmbeddedKafkaExtension.bootstrapServers());
             StageRunner stage1 = kafka.stage1("examples");
             StageRunner stage2 = kafka.stage2("examples")) {
            kafka.send(events);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(kafka::caughtUp);
        }
    }

    @Test
    void watchServicesEndsWithEachServicesStatusAndCounts() {
        Map<String, String> want = new TreeMap<>();
        forEachExpected("services", (mesh, service) -> {
            JsonNode counts = service.get("dataplanes");
            want.put(mesh + "/" + service.get("name").asText(), status(service) + " members=" + counts.get("total").asInt()
                    + " online=" + counts.get("online").asInt() + " offline=" + counts.get("offline").asInt()
                    + " partiallyDegraded=" + counts.get("partiallyDegraded").asInt() + " endpoints=" + service.get("endpoints").size());
        });

        follow(Topics.SERVICE_HEALTH, WatchServices::new, got -> assertThat(got).isEqualTo(want));
    }

    @Test
    void watchProxiesEndsWithEachProxysStatusAndConnection() {
        Map<String, String> want = new TreeMap<>();
        forEachExpected("dataplanes", (mesh, dataplane) -> want.put(mesh + "/" + dataplane.get("name").asText(),
                status(dataplane) + " connected=" + dataplane.get("connected").asBoolean() + " inbounds=" + dataplane.get("inbounds").size()));

        follow(Topics.PROXY_HEALTH, WatchProxies::new, got -> {
            assertThat(got.keySet()).isEqualTo(want.keySet());
            want.forEach((key, line) -> assertThat(got.get(key)).as(key).startsWith(line));
        });
    }

    @Test
    void watchInboundsEndsWithEachInboundsReadiness() {
        Map<String, String> want = new TreeMap<>();
        forEachExpected("dataplanes", (mesh, dataplane) -> dataplane.get("inbounds").forEach(inbound ->
                want.put(mesh + "/" + dataplane.get("name").asText() + "/" + inbound.get("port").asInt(),
                        "service=" + inbound.get("service").asText() + " ready=" + inbound.get("ready").asBoolean())));

        follow(Topics.INBOUND_HEALTH, WatchInbounds::new, got -> {
            assertThat(got.keySet()).isEqualTo(want.keySet());
            want.forEach((key, line) -> assertThat(got.get(key)).as(key).startsWith(line));
        });
    }

    @Test
    void serviceEndpointsTableEndsWithEachServicesLoadBalancingSet() {
        Map<String, String> want = new TreeMap<>();
        forEachExpected("services", (mesh, service) -> {
            List<String> endpoints = new ArrayList<>();
            service.get("endpoints").forEach(e -> endpoints.add(e.get("dataplane").asText() + "@" + e.get("address").asText() + ":" + e.get("port").asInt()));
            if (!endpoints.isEmpty()) {
                want.put(mesh + "/" + service.get("name").asText(), "endpoints=[" + String.join(" ", endpoints) + "]");
            }
        });

        follow(Topics.SERVICE_ENDPOINTS, ServiceEndpointsTable::new, got -> {
            // A service whose members all lost their endpoints ends with an empty set; one that never had any prints nothing.
            got.values().removeIf("endpoints=[]"::equals);
            assertThat(got).isEqualTo(want);
        });
    }

    @Test
    void badArgumentsNameTheOption() {
        assertThat(ExampleArgs.parse("--bootstrap-server", "127.0.0.1:1", "--group", "g").bootstrapServers()).isEqualTo("127.0.0.1:1");
        assertThat(ExampleArgs.parse().bootstrapServers()).isEqualTo(ExampleArgs.DEFAULT_BOOTSTRAP);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExampleArgs.parse("--topic", "x"))
                .hasMessageContaining("unknown option --topic");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExampleArgs.parse("--group"))
                .hasMessageContaining("--group needs a value");
    }

    /**
     * Runs an example over {@code topic} until the last line it printed for each key of this
     * test's meshes (without the version; none for a removed entity) passes {@code check}.
     */
    private static <V> void follow(Topic<V> topic, Function<PrintStream, BiConsumer<String, V>> example,
                                   java.util.function.Consumer<Map<String, String>> check) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        BiConsumer<String, V> handler = example.apply(out);
        ExampleArgs args = ExampleArgs.parse("--bootstrap-server", EmbeddedKafkaExtension.bootstrapServers(), "--group", "test-" + topic.name());
        try (ChangeConsumer<V> changes = new ChangeConsumer<>(args, topic)) {
            Thread reader = new Thread(() -> changes.forEach((key, value) -> {
                synchronized (printed) {
                    handler.accept(key, value);
                }
            }), "example-" + topic.name());
            reader.start();
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> check.accept(ours(text(printed))));
            changes.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> !reader.isAlive());
        }
        assertThat(text(printed)).as("every version seen").doesNotContain("versions missed");
    }

    private static String text(ByteArrayOutputStream printed) {
        synchronized (printed) {
            return printed.toString(StandardCharsets.UTF_8);
        }
    }

    /** Per key of this test's meshes, its last line, without the key and the version; none for a removed entity. */
    private static Map<String, String> ours(String printed) {
        Map<String, String> last = new TreeMap<>();
        for (String line : printed.split("\n")) {
            if (line.startsWith(PREFIX)) {
                String[] words = line.split(" ", 2);
                String rest = words[1].replaceFirst("^v[0-9]+ ", "");
                if (rest.startsWith("removed")) {
                    last.remove(words[0]);
                } else {
                    last.put(words[0], rest);
                }
            }
        }
        return last;
    }

    private static void forEachExpected(String field, BiConsumer<String, JsonNode> entity) {
        expected.forEach((meshPrefix, state) -> state.get(field).forEach(node -> entity.accept(meshPrefix + node.get("mesh").asText(), node)));
    }

    private static String status(JsonNode entity) {
        return entity.get("status").asText().toUpperCase(Locale.ROOT);
    }
}
