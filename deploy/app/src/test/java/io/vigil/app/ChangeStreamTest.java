package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/changes}: filters, and resuming with {@code Last-Event-ID} after a
 * disconnect so that every change arrives exactly once, in per-entity order.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class ChangeStreamTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final List<String> DATAPLANES = List.of("d1", "d2", "d3");

    @Test
    void resumingWithLastEventIdDeliversEveryChangeOnce() {
        String mesh = "resume-" + UUID.randomUUID().toString().substring(0, 8);
        ChangeEvents.Delivered delivered = new ChangeEvents.Delivered();
        try (SseClient first = SseClient.open("mesh=" + mesh, null)) {
            ChangeEvents.post(ChangeEvents.start(mesh, DATAPLANES, T0));
            ChangeEvents.post(ChangeEvents.flips(mesh, DATAPLANES, 1, 3, T0));
            // Disconnect mid-stream: some changes are still on their way.
            delivered.readUntil(first, d -> d.events.size() >= 7);
        }
        ChangeEvents.post(ChangeEvents.flips(mesh, DATAPLANES, 4, 6, T0));
        long serviceVersion = finalServiceVersion(mesh);

        try (SseClient second = SseClient.open("mesh=" + mesh, delivered.lastId)) {
            delivered.readUntil(second, d -> DATAPLANES.stream().allMatch(dp -> d.last(mesh + "/" + dp + "/8080") == 1 + 6
                    && d.last(mesh + "/" + dp) == 2 + 6) && d.last(mesh + "/web") >= serviceVersion);
        }

        for (Map.Entry<String, List<Long>> entity : delivered.versions.entrySet()) {
            long last = entity.getValue().get(entity.getValue().size() - 1);
            assertThat(entity.getValue()).as(entity.getKey()).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
        }
        assertThat(delivered.versions).hasSize(2 * DATAPLANES.size() + 1);
    }

    @Test
    void filtersNarrowTheStream() {
        String mesh = "filter-" + UUID.randomUUID().toString().substring(0, 8);
        String other = mesh + "-other";
        try (SseClient proxiesOfD2 = SseClient.open("mesh=" + mesh + "&level=proxy&dataplane=d2", null);
             SseClient inboundsAndServices = SseClient.open("mesh=" + mesh + "&level=inbound,service&service=web", null)) {
            ChangeEvents.post(ChangeEvents.start(other, DATAPLANES, T0));
            ChangeEvents.post(ChangeEvents.start(mesh, DATAPLANES, T0));
            ChangeEvents.post(ChangeEvents.flips(mesh, DATAPLANES, 1, 2, T0));

            ChangeEvents.Delivered proxies = new ChangeEvents.Delivered();
            proxies.readUntil(proxiesOfD2, d -> d.last(mesh + "/d2") == 4);
            assertThat(proxies.versions).containsOnlyKeys(mesh + "/d2");
            assertThat(proxies.events).allSatisfy(e -> assertThat(e.event()).isEqualTo("proxy"));
            JsonNode last = Scenarios.parse(proxies.events.get(proxies.events.size() - 1).data());
            assertThat(last.get("state").get("status").asText()).isEqualTo("online");
            assertThat(last.get("previousStatus").asText()).isEqualTo("offline");
            assertThat(last.get("cause").get("type").asText()).isEqualTo("inbound-health");

            long serviceVersion = finalServiceVersion(mesh);
            ChangeEvents.Delivered others = new ChangeEvents.Delivered();
            others.readUntil(inboundsAndServices, d -> DATAPLANES.stream().allMatch(dp -> d.last(mesh + "/" + dp + "/8080") == 3)
                    && d.last(mesh + "/web") >= serviceVersion);
            assertThat(others.events).allSatisfy(e -> {
                assertThat(e.event()).isIn("inbound", "service");
                assertThat(Scenarios.parse(e.data()).get("mesh").asText()).isEqualTo(mesh);
            });
        }
    }

    @Test
    void badFiltersAndCursorsAreBadRequests() throws Exception {
        assertThat(SseClient.refused("level=zone", null)).satisfies(answer -> {
            assertThat(answer.getKey()).isEqualTo(400);
            assertThat(answer.getValue()).contains("level must be inbound, proxy or service");
        });
        assertThat(SseClient.refused("", "not-a-cursor!")).satisfies(answer -> {
            assertThat(answer.getKey()).isEqualTo(400);
            assertThat(answer.getValue()).contains("Last-Event-ID");
        });
    }

    @Test
    void theOpenApiDescriptionHasTheStreamTheLongPollAndHistory() {
        String api = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        assertThat(Scenarios.parse(api).get("paths").fieldNames()).toIterable().contains("/api/v1/changes", "/api/v1/changes/poll",
                "/api/v1/meshes/{mesh}/dataplanes/{name}/history", "/api/v1/meshes/{mesh}/services/{name}/history");
    }

    /** The version of service {@code web} once every dataplane's last flip (ready again) has reached it. */
    static long finalServiceVersion(String mesh) {
        String path = "/api/v1/meshes/" + mesh + "/services/web";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var answer = given().get(path);
            return answer.statusCode() == 200 && answer.jsonPath().getInt("dataplanes.online") == DATAPLANES.size();
        });
        return given().get(path).then().extract().jsonPath().getLong("version");
    }
}
