package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.aggregator.runtime.ChangeTopicReader;
import io.vigil.avro.DataplaneEvent;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import io.vigil.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/events}: what it accepts, what it refuses and why, and that a refusal writes nothing. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class EventsApiTest {

    private static final String ALL = "Bearer all-meshes-token";
    private String mesh;

    @BeforeEach
    void freshMeshAndReadyTopics() {
        mesh = "api-" + UUID.randomUUID().toString().substring(0, 8);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    private String event(String dataplane, String extra) {
        return "{\"type\": \"stream-connected\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane
                + "\", \"time\": \"2026-11-26T10:00:00Z\", \"instance\": \"cp-1\"" + extra + "}";
    }

    @Test
    void aValidArrayIsAcceptedOnceKafkaHasEveryEventKeyedByDataplane() {
        given().contentType("application/json").header("Authorization", ALL)
                .body("[" + event("web-01", "") + ", " + event("web-02", "") + "]")
                .post("/api/v1/events")
                .then().statusCode(202).body("accepted", equalTo(2));
        assertThat(eventsOfThisMesh()).extracting(DataplaneEvent::getDataplane).containsExactlyInAnyOrder("web-01", "web-02");
    }

    @Test
    void jsonLinesAreAcceptedToo() {
        given().contentType("application/x-ndjson; charset=utf-8").header("Authorization", ALL)
                .body((event("web-01", "") + "\n\n" + event("web-02", "") + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/events")
                .then().statusCode(202).body("accepted", equalTo(2));
    }

    @Test
    void oneBadEventRejectsTheRequestListingEveryProblemAndWritesNothing() {
        String bad = "{\"type\": \"probe-result\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"web-02\", "
                + "\"time\": \"yesterday\", \"port\": 70000, \"healthy\": \"yes\"}";
        given().contentType("application/json").header("Authorization", ALL)
                .body("[" + event("web-01", "") + ", " + bad + "]")
                .post("/api/v1/events")
                .then().statusCode(400)
                .body("problems.path", hasItem("[1].time"))
                .body("problems.path", hasItem("[1].port"))
                .body("problems.path", hasItem("[1].healthy"))
                .body("error", containsString("nothing was written"));
        assertThat(eventsOfThisMesh()).isEmpty();
    }

    @Test
    void withoutATokenItIsUnauthorized() {
        given().contentType("application/json").body("[" + event("web-01", "") + "]")
                .post("/api/v1/events")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer").body("error", containsString("bearer token"));
        given().contentType("application/json").header("Authorization", "Bearer not-a-token").body("[" + event("web-01", "") + "]")
                .post("/api/v1/events")
                .then().statusCode(401);
        assertThat(eventsOfThisMesh()).isEmpty();
    }

    @Test
    void aTokenForOtherMeshesIsForbiddenAndWritesNothing() {
        given().contentType("application/json").header("Authorization", "Bearer default-only-token")
                .body("[" + event("web-01", "") + "]")
                .post("/api/v1/events")
                .then().statusCode(403).body("error", containsString(mesh));
        assertThat(eventsOfThisMesh()).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIsTooLarge() {
        given().contentType("application/json").header("Authorization", ALL).body("[" + " ".repeat(70_000) + "]")
                .post("/api/v1/events")
                .then().statusCode(413).body("error", containsString("65536 bytes"));
    }

    @Test
    void otherContentTypesAreUnsupported() {
        given().contentType("text/plain").header("Authorization", ALL).body(event("web-01", ""))
                .post("/api/v1/events")
                .then().statusCode(415).body("error", containsString("application/x-ndjson"));
    }

    @Test
    void brokenJsonAnEmptyBodyAndBadUtf8AreBadRequests() {
        given().contentType("application/json").header("Authorization", ALL).body("[{\"type\": ")
                .post("/api/v1/events").then().statusCode(400).body("problems", hasSize(1));
        given().contentType("application/json").header("Authorization", ALL).body("[]")
                .post("/api/v1/events").then().statusCode(400).body("error", containsString("no events"));
        given().contentType("application/json").header("Authorization", ALL).body(new byte[] {'[', (byte) 0xC3, ']'})
                .post("/api/v1/events").then().statusCode(400).body("error", containsString("UTF-8"));
    }

    private List<DataplaneEvent> eventsOfThisMesh() {
        return ChangeTopicReader.decodableEvents(EmbeddedKafkaExtension.bootstrapServers()).stream()
                .filter(e -> e.getMesh().equals(mesh)).toList();
    }
}
