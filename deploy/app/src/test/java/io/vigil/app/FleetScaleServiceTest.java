package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vigil.aggregator.runtime.ChangeTopicReader;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import io.vigil.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A service of 50,000 endpoints (12,500 dataplanes with 4 inbounds each) through the write API
 * and the whole pipeline: its counts are right in the REST API, its endpoints page out in order,
 * a small service posted while it builds and one posted after it both become visible, and no
 * record of the service topics or the service changelog grows with the service.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class FleetScaleServiceTest {

    private static final int DATAPLANES = 12_500;
    private static final int INBOUNDS = 4;
    private static final int ENDPOINTS = DATAPLANES * INBOUNDS;
    /** Events per POST, under the tests' 64 KiB body limit. */
    private static final int DATAPLANES_PER_POST = 100;
    /** What one service change, one member's endpoints or one checkpoint part may take, whatever the service's size. */
    private static final int RECORD_BOUND = 2_048;

    private final String mesh = "fleet-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aServiceOfFiftyThousandEndpointsIsCountedListedAndDoesNotHoldBackOtherServices() {
        for (int first = 0; first < DATAPLANES; first += DATAPLANES_PER_POST) {
            List<String> lines = new ArrayList<>();
            for (int i = first; i < first + DATAPLANES_PER_POST; i++) {
                lines.addAll(fleetMember(i));
            }
            if (first == DATAPLANES / DATAPLANES_PER_POST / 2 * DATAPLANES_PER_POST) {
                lines.addAll(dataplane("while-0", "while-building", 9000));
            }
            post(lines);
        }
        post(dataplane("after-0", "after-it", 9000));

        String service = "/api/v1/meshes/" + mesh + "/services/";
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().get(service + "fleet").then().statusCode(200)
                        .body("dataplanes.total", equalTo(DATAPLANES)).body("dataplanes.online", equalTo(DATAPLANES))
                        .body("endpointCount", equalTo(ENDPOINTS)).body("status", equalTo("online")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            given().get(service + "while-building").then().statusCode(200).body("dataplanes.online", equalTo(1));
            given().get(service + "after-it").then().statusCode(200).body("dataplanes.online", equalTo(1));
        });

        assertThat(given().get(service + "fleet").then().extract().jsonPath().getList("endpoints")).hasSize(ENDPOINTS);
        assertEndpointsPageOutInOrder(service + "fleet/endpoints");
        for (String topic : List.of(Topics.SERVICE_HEALTH.name(), Topics.SERVICE_ENDPOINTS.name(), Topics.SERVICE_STATE.name())) {
            assertThat(ChangeTopicReader.largestValue(EmbeddedKafkaExtension.bootstrapServers(), topic, mesh))
                    .as("largest record of %s for mesh %s", topic, mesh).isPositive().isLessThan(RECORD_BOUND);
        }
    }

    /** Page after page of 1000, by dataplane then port: every endpoint once, the cursor ending on the last page. */
    private static void assertEndpointsPageOutInOrder(String path) {
        List<String> seen = new ArrayList<>(ENDPOINTS);
        String next = null;
        int pages = 0;
        do {
            JsonPath page = given().queryParam("size", 1000).queryParams(next == null ? Map.of() : Map.of("next", next))
                    .get(path).then().statusCode(200).extract().jsonPath();
            for (Map<String, Object> endpoint : page.<Map<String, Object>>getList("items")) {
                seen.add(endpoint.get("dataplane") + ":" + endpoint.get("port"));
            }
            next = page.getString("next");
            pages++;
        } while (next != null && pages <= ENDPOINTS / 1000);

        assertThat(pages).isEqualTo(ENDPOINTS / 1000);
        assertThat(seen).hasSize(ENDPOINTS).doesNotHaveDuplicates()
                .isSortedAccordingTo((a, b) -> {
                    String[] x = a.split(":");
                    String[] y = b.split(":");
                    int byDataplane = x[0].compareTo(y[0]);
                    return byDataplane != 0 ? byDataplane : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
                });
    }

    private List<String> fleetMember(int i) {
        StringBuilder inbounds = new StringBuilder();
        for (int port = 8080; port < 8080 + INBOUNDS; port++) {
            inbounds.append(port == 8080 ? "" : ",").append("{\"port\":").append(port).append(",\"tags\":{\"kuma.io/service\":\"fleet\"}}");
        }
        return member(String.format("dp-%05d", i), inbounds.toString());
    }

    private List<String> dataplane(String name, String service, int port) {
        return member(name, "{\"port\":" + port + ",\"tags\":{\"kuma.io/service\":\"" + service + "\"}}");
    }

    private List<String> member(String name, String inbounds) {
        return List.of(
                "{\"type\":\"dataplane-upserted\",\"mesh\":\"" + mesh + "\",\"dataplane\":\"" + name + "\",\"time\":\"2026-12-03T10:00:00Z\","
                        + "\"environment\":\"universal\",\"spec\":{\"networking\":{\"address\":\"127.0.0.1\",\"inbound\":[" + inbounds + "]}}}",
                "{\"type\":\"stream-connected\",\"mesh\":\"" + mesh + "\",\"dataplane\":\"" + name + "\",\"time\":\"2026-12-03T10:00:01Z\","
                        + "\"instance\":\"cp-1\"}");
    }

    private static void post(List<String> lines) {
        given().contentType("application/x-ndjson; charset=utf-8").header("Authorization", "Bearer all-meshes-token")
                .body(String.join("\n", lines).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/events").then().statusCode(202);
    }
}
