package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.avro.DataplaneEvent;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import io.vigil.schemas.EventJson;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Quarkus application on a real broker: Avro events through Reactive Messaging, health, metrics, OpenAPI. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class KafkaRoundTripTest {

    @Inject
    DataplaneEventRelay relay;

    @Test
    void readinessBecomesUpOnceTopicsAreProvisioned() {
        awaitReady();

        given().when().get("/q/health/ready").then()
                .body("checks.name", hasItem("kafka"))
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"));
    }

    @Test
    void avroEventSentThroughAnEmitterIsReadBackEqual() throws Exception {
        // Topics are not auto-created: sending before TopicBootstrap made them would block and fail.
        awaitReady();
        // A dataplane-upserted line: the event with the richest payload (spec, inbounds, probes).
        String line = Scenarios.inOwnMeshes("05-partially-degraded-proxy", "round-trip-" + UUID.randomUUID()).get(0);
        DataplaneEvent sent = EventJson.parse(line);
        String key = sent.getMesh() + "/" + sent.getDataplane();

        relay.send(key, sent).toCompletableFuture().get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(relay.received(key)).hasValue(sent));
    }

    @Test
    void metricsAndOpenApiAnswer() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("# TYPE "));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("title: vigil"));
    }

    private static void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
    }
}
