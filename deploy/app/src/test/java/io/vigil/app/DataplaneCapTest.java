package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
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

    /** The ingest role waits for vigil's topics here (writes answer 503 meanwhile): the test starts once it runs. */
    @BeforeEach
    void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aMeshAtItsCapTakesNoNewDataplaneUntilOneIsDeleted() {
        String mesh = "cap-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> members = new ArrayList<>(List.of("a", "b"));
        post(upsert(mesh, "a") + "\n" + upsert(mesh, "b"), 202);

        // The census learns of new dataplanes once stage 1 has published their specs: until then a
        // new one still gets in, so each try names another, and those let in are members too.
        AtomicInteger tries = new AtomicInteger();
        AtomicReference<String> refused = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String candidate = "c" + tries.incrementAndGet();
            Response response = send(upsert(mesh, candidate));
            if (response.statusCode() == 202) {
                members.add(candidate);
                return false;
            }
            response.then().statusCode(403).body("error", allOf(containsString("mesh " + mesh + " has "),
                    containsString("dataplanes and this request adds 1, over the cap of 2")));
            refused.set(candidate);
            return true;
        });
        post(upsert(mesh, "a"), 202);
        post(upsert("other-" + mesh, "c"), 202);
        given().get("/api/v1/meshes/" + mesh + "/dataplanes/" + refused.get()).then().statusCode(404);

        List<String> deletes = new ArrayList<>();
        for (String member : members.subList(1, members.size())) {
            deletes.add("{\"type\": \"dataplane-deleted\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"" + member
                    + "\", \"time\": \"2026-11-26T10:00:05Z\"}");
        }
        post(String.join("\n", deletes), 202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                send(upsert(mesh, refused.get())).then().statusCode(202));
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
