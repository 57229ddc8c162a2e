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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The read paths of SPEC section 6 after events went in through {@code POST /api/v1/events}: the
 * pipeline's state equals {@code vigil replay} of the same events (versions aside: the live
 * services coalesce per transaction, replay per file).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class StateApiTest {

    private static final String TOKEN = "Bearer all-meshes-token";

    @ParameterizedTest
    @ValueSource(strings = {"10-service-aggregation", "11-service-removed-with-last-member", "16-inbound-address-override-and-meshes",
            "09-kubernetes-container-owning-port", "15-stale-disconnect-from-old-instance"})
    void stateAfterPostingAScenarioEqualsItsReplay(String scenario) throws Exception {
        List<String> lines = Scenarios.inOwnMeshes(scenario, UUID.randomUUID().toString().substring(0, 8));
        Set<String> meshes = Scenarios.meshes(lines);
        Path file = Files.createTempFile("state-api", ".jsonl");
        Scenarios.write(file, lines);
        Cli.Result replay = Cli.run("replay", "--events", file.toString(), "--format", "json");
        assertThat(replay.exitCode()).isZero();
        JsonNode expected = Scenarios.withoutVersions(Scenarios.onlyMeshes(Scenarios.parse(replay.out()), meshes));

        given().contentType("application/x-ndjson").header("Authorization", TOKEN)
                .body(String.join("\n", lines).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/events").then().statusCode(202);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode state = Scenarios.parse(given().get("/api/v1/state").then().statusCode(200).extract().asString());
            assertThat(Scenarios.withoutVersions(Scenarios.onlyMeshes(state, meshes))).isEqualTo(expected);
        });
    }

    @Test
    void oneDataplaneHasAnETagFromItsVersionAndUnknownOnesAre404() {
        String mesh = "etag-" + UUID.randomUUID().toString().substring(0, 8);
        String upsert = "{\"type\": \"dataplane-upserted\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"web-01\", "
                + "\"time\": \"2026-11-26T10:00:00Z\", \"environment\": \"universal\", \"spec\": {\"networking\": "
                + "{\"address\": \"127.0.0.1\", \"inbound\": [{\"port\": 8080, \"tags\": {\"kuma.io/service\": \"web\"}}]}}}";
        given().contentType("application/json").header("Authorization", TOKEN).body("[" + upsert + "]")
                .post("/api/v1/events").then().statusCode(202);

        String path = "/api/v1/meshes/" + mesh + "/dataplanes/web-01";
        // Stage 2 emits the service a moment after stage 1 emits the dataplane: wait for both.
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get(path).statusCode() == 200
                && given().get("/api/v1/meshes/" + mesh + "/services/web").statusCode() == 200);
        given().get(path).then().statusCode(200).header("ETag", "\"1\"").body("status", equalTo("offline"))
                .body("reasons[0]", containsString("not connected"));
        given().header("If-None-Match", "\"1\"").get(path).then().statusCode(304);
        given().get("/api/v1/meshes/" + mesh + "/services/web").then().statusCode(200).body("dataplanes.total", equalTo(1));
        given().get("/api/v1/meshes/" + mesh + "/dataplanes/nobody").then().statusCode(404).body("error", containsString("nobody"));
        given().get("/api/v1/meshes/" + mesh + "/services/nothing").then().statusCode(404);
    }

    @Test
    void aDrainingDataplaneShowsItsConditionsAndSinceTimes() {
        String mesh = "since-" + UUID.randomUUID().toString().substring(0, 8);
        String head = "{\"mesh\": \"" + mesh + "\", \"dataplane\": \"web-01\", ";
        String events = "[" + head + "\"type\": \"dataplane-upserted\", \"time\": \"2026-11-26T10:00:00Z\", "
                + "\"environment\": \"universal\", \"spec\": {\"networking\": {\"address\": \"127.0.0.1\", "
                + "\"inbound\": [{\"port\": 8080, \"tags\": {\"kuma.io/service\": \"web\"}}]}}}, "
                + head + "\"type\": \"stream-connected\", \"time\": \"2026-11-26T10:00:01Z\", \"instance\": \"cp-1\"}, "
                + head + "\"type\": \"dataplane-draining\", \"time\": \"2026-11-26T10:00:02Z\"}]";
        given().contentType("application/json").header("Authorization", TOKEN).body(events)
                .post("/api/v1/events").then().statusCode(202);

        String dataplane = "/api/v1/meshes/" + mesh + "/dataplanes/web-01";
        String service = "/api/v1/meshes/" + mesh + "/services/web";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            given().get(dataplane).then().statusCode(200).header("ETag", "\"3\"");
            given().get(service).then().statusCode(200).body("status", equalTo("offline"));
        });
        given().get(dataplane).then().statusCode(200)
                .body("status", equalTo("offline"))
                .body("since", equalTo("2026-11-26T10:00:02Z"))
                .body("connected", equalTo(true))
                .body("connectedSince", equalTo("2026-11-26T10:00:01Z"))
                .body("inbounds[0].ready", equalTo(false))
                .body("inbounds[0].serving", equalTo(true))
                .body("inbounds[0].terminating", equalTo(true));
        given().get(service).then().statusCode(200).body("since", equalTo("2026-11-26T10:00:02Z"));
    }
}
