package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * History for audits: a dataplane's and a service's transitions with their causes, read back
 * from Kafka by time. Two rounds of changes go in, {@code between} separates them.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class HistoryApiTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final List<String> DATAPLANES = List.of("d1", "d2");

    private String mesh;
    private Instant between;

    @BeforeEach
    void twoRoundsOfChanges() {
        mesh = "history-" + UUID.randomUUID().toString().substring(0, 8);
        ChangeEvents.post(ChangeEvents.start(mesh, DATAPLANES, T0));
        ChangeEvents.post(ChangeEvents.flips(mesh, DATAPLANES, 1, 2, T0));
        awaitProxyVersion(4);
        between = Instant.now();
        ChangeEvents.post(ChangeEvents.flips(mesh, DATAPLANES, 3, 4, T0));
        awaitProxyVersion(6);
    }

    @Test
    void aDataplanesTransitionsWithTheirCausesOldestFirst() {
        JsonNode history = get("/api/v1/meshes/" + mesh + "/dataplanes/d1/history");
        assertThat(history.get("truncated").asBoolean()).isFalse();
        List<String> seen = new ArrayList<>();
        Instant previous = Instant.EPOCH;
        for (JsonNode transition : history.get("transitions")) {
            Instant time = Instant.parse(transition.get("time").asText());
            assertThat(time).isAfterOrEqualTo(previous);
            previous = time;
            JsonNode change = transition.get("change");
            assertThat(change.get("dataplane").asText()).isEqualTo("d1");
            seen.add(change.get("level").asText() + " v" + change.get("version").asLong());
        }
        assertThat(seen).filteredOn(s -> s.startsWith("proxy")).containsExactly("proxy v1", "proxy v2", "proxy v3", "proxy v4", "proxy v5", "proxy v6");
        assertThat(seen).filteredOn(s -> s.startsWith("inbound")).containsExactly("inbound v1", "inbound v2", "inbound v3", "inbound v4", "inbound v5");

        JsonNode wentOffline = proxyChange(history, 3);
        assertThat(wentOffline.get("previousStatus").asText()).isEqualTo("online");
        assertThat(wentOffline.get("state").get("status").asText()).isEqualTo("offline");
        assertThat(wentOffline.get("cause").get("type").asText()).isEqualTo("inbound-health");
        assertThat(wentOffline.get("cause").get("id").asText()).isEqualTo("flip-1");
        assertThat(wentOffline.get("cause").get("time").asText()).isEqualTo("2026-11-26T10:00:11Z");
    }

    @Test
    void theWindowNarrowsIt() {
        String path = "/api/v1/meshes/" + mesh + "/dataplanes/d1/history";
        JsonNode later = get(path + "?from=" + between);
        assertThat(versions(later, "proxy")).containsExactly(5L, 6L);
        assertThat(versions(later, "inbound")).containsExactly(4L, 5L);
        JsonNode earlier = get(path + "?from=" + between.minus(Duration.ofHours(1)) + "&to=" + between);
        assertThat(versions(earlier, "proxy")).containsExactly(1L, 2L, 3L, 4L);
        JsonNode limited = get(path + "?limit=2");
        assertThat(limited.get("transitions")).hasSize(2);
        assertThat(limited.get("truncated").asBoolean()).isTrue();
        assertThat(get(path + "?to=" + T0).get("transitions")).isEmpty();
    }

    @Test
    void aServicesTransitions() {
        JsonNode history = get("/api/v1/meshes/" + mesh + "/services/web/history");
        List<Long> versions = versions(history, "service");
        assertThat(versions).isNotEmpty();
        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i)).isEqualTo(i + 1L);
        }
        // Stage 2 coalesces a service's changes per transaction: the first one may come from the
        // upsert, the connect after it, or (when the flips land in the same transaction) a flip.
        assertThat(history.get("transitions").get(0).get("change").get("cause").get("type").asText())
                .isIn("dataplane-upserted", "stream-connected", "inbound-health");
    }

    @Test
    void badWindowsAreBadRequests() {
        String path = "/api/v1/meshes/" + mesh + "/dataplanes/d1/history";
        given().get(path + "?from=yesterday").then().statusCode(400).body("error", containsString("ISO-8601"));
        given().get(path + "?from=2026-11-26T11:00:00Z&to=2026-11-26T10:00:00Z").then().statusCode(400)
                .body("error", containsString("is after"));
        given().get(path + "?limit=0").then().statusCode(400).body("error", containsString("limit"));
    }

    private void awaitProxyVersion(long version) {
        for (String dataplane : DATAPLANES) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    given().get("/api/v1/meshes/" + mesh + "/dataplanes/" + dataplane).then().statusCode(200)
                            .body("version", equalTo((int) version)));
        }
    }

    private static JsonNode get(String path) {
        return Scenarios.parse(given().get(path).then().statusCode(200).extract().asString());
    }

    private static List<Long> versions(JsonNode history, String level) {
        List<Long> versions = new ArrayList<>();
        history.get("transitions").forEach(t -> {
            if (t.get("change").get("level").asText().equals(level)) {
                versions.add(t.get("change").get("version").asLong());
            }
        });
        return versions;
    }

    private static JsonNode proxyChange(JsonNode history, long version) {
        for (JsonNode transition : history.get("transitions")) {
            JsonNode change = transition.get("change");
            if (change.get("level").asText().equals("proxy") && change.get("version").asLong() == version) {
                return change;
            }
        }
        throw new AssertionError("no proxy change v" + version + " in " + history);
    }
}
