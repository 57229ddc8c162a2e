package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vigil.aggregator.runtime.ChangeTopicReader;
import io.vigil.avro.DataplaneDeleted;
import io.vigil.avro.DataplaneEvent;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil.ingest.stale-after}: a dataplane disconnected longer than that is deleted through
 * a {@code dataplane-deleted} event in the event log whose id says why; a connected one stays.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
@TestProfile(StaleDataplanesTest.StaleAfterTwoSeconds.class)
class StaleDataplanesTest {

    public static class StaleAfterTwoSeconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.ingest.stale-after", "PT2S");
        }
    }

    private final String mesh = "stale-" + UUID.randomUUID().toString().substring(0, 8);

    /** The ingest role waits for vigil's topics here (writes answer 503 meanwhile): the test starts once it runs. */
    @BeforeEach
    void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aDataplaneDisconnectedLongerThanStaleAfterIsDeletedThroughTheEventLog() {
        for (String dataplane : List.of("gone", "here")) {
            post("{\"type\": \"dataplane-upserted\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane + "\", "
                    + "\"time\": \"2026-12-03T10:00:00Z\", \"environment\": \"universal\", \"spec\": {\"networking\": "
                    + "{\"address\": \"127.0.0.1\", \"inbound\": [{\"port\": 8080, \"tags\": {\"kuma.io/service\": \"web\"}}]}}}",
                    "{\"type\": \"stream-connected\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane + "\", "
                            + "\"time\": \"2026-12-03T10:00:01Z\", \"instance\": \"cp-1\"}");
        }
        post("{\"type\": \"stream-disconnected\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"gone\", "
                + "\"time\": \"2026-12-03T10:00:02Z\", \"instance\": \"cp-1\"}");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().get("/api/v1/meshes/" + mesh + "/dataplanes/gone").then().statusCode(404));

        given().get("/api/v1/meshes/" + mesh + "/dataplanes/here").then().statusCode(200).body("connected", equalTo(true));
        List<DataplaneEvent> deletions = ChangeTopicReader.decodableEvents(EmbeddedKafkaExtension.bootstrapServers()).stream()
                .filter(e -> e.getMesh().equals(mesh) && e.getPayload() instanceof DataplaneDeleted).toList();
        assertThat(deletions).isNotEmpty().allSatisfy(deletion -> {
            assertThat(deletion.getDataplane()).isEqualTo("gone");
            assertThat(deletion.getId()).startsWith("stale-after:PT2S:" + mesh + "/gone:v");
        });
    }

    @Test
    void aStaleAfterThatIsNoDurationIsBadUsage() {
        Cli.Result serve = Cli.run("serve", "--stale-after", "soon");

        assertThat(serve.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(serve.err()).contains("--stale-after must be a positive duration", "'soon'");
    }

    private static void post(String... lines) {
        given().contentType("application/x-ndjson; charset=utf-8").header("Authorization", "Bearer all-meshes-token")
                .body(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)).post("/api/v1/events").then().statusCode(202);
    }
}
