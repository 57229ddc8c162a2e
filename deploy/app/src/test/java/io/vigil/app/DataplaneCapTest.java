package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil.ingest.limits.max-dataplanes-per-mesh}: once a mesh has its cap of dataplanes, an
 * upsert of one more is refused with {@code 403} and nothing is written, while its known
 * dataplanes may still be upserted and other meshes are not held back; a delete makes room again.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
@TestProfile(DataplaneCapTest.TwoPerMesh.class)
class DataplaneCapTest {

    public static class TwoPerMesh implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.ingest.limits.max-dataplanes-per-mesh", "2");
        }
    }

    private static final String TOKEN = "Bearer all-meshes-token";

    @Test
    void aMeshAtItsCapTakesNoNewDataplaneUntilOneIsDeleted() {
        String mesh = "cap-" + UUID.randomUUID().toString().substring(0, 8);
        post(upsert(mesh, "a") + "\n" + upsert(mesh, "b"), 202);

        // The census learns of a and b once stage 1 has published their specs.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                send(upsert(mesh, "c")).then().statusCode(403)
                        .body("error", containsString("mesh " + mesh + " has 2 dataplanes and this request adds 1, over the cap of 2")));
        post(upsert(mesh, "a"), 202);
        post(upsert("other-" + mesh, "c"), 202);
        given().get("/api/v1/meshes/" + mesh + "/dataplanes/c").then().statusCode(404);

        post("{\"type\": \"dataplane-deleted\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"b\", \"time\": \"2026-11-26T10:00:05Z\"}", 202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                send(upsert(mesh, "c")).then().statusCode(202));
    }

    private static String upsert(String mesh, String dataplane) {
        return "{\"type\": \"dataplane-upserted\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane + "\", "
                + "\"time\": \"2026-11-26T10:00:00Z\", \"environment\": \"universal\", \"spec\": {\"networking\": "
                + "{\"address\": \"127.0.0.1\", \"inbound\": [{\"port\": 8080, \"tags\": {\"kuma.io/service\": \"web\"}}]}}}";
    }

    private static void post(String lines, int status) {
        send(lines).then().statusCode(status);
    }

    private static Response send(String lines) {
        return given().contentType("application/x-ndjson; charset=utf-8").header("Authorization", TOKEN).body(lines.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/events");
    }
}
