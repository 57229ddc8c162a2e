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
import io.vigil.ingest.EventLog;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The Quarkus application on a real broker: the event log channel (Reactive Messaging), health, metrics, OpenAPI. */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class KafkaRoundTripTest {

    @Inject
    EventLog eventLog;

    @Inject
    KafkaClients clients;

    @Test
    void readinessBecomesUpOnceTopicsAreProvisioned() {
        awaitReady();

        given().when().get("/q/health/ready").then()
                .body("checks.name", hasItem("kafka"))
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"));
    }

    @Test
    void anEventAppendedThroughTheChannelIsInTheEventLogUnderItsKey() throws Exception {
        // Topics are not auto-created: sending before TopicBootstrap made them would block and fail.
        awaitReady();
        // A dataplane-upserted line: the event with the richest payload (spec, inbounds, probes).
        String line = Scenarios.inOwnMeshes("05-partially-degraded-proxy", "round-trip-" + UUID.randomUUID()).get(0);
        DataplaneEvent sent = EventJson.parse(line);
        String key = KeyFormat.of(sent.getMesh(), sent.getDataplane());

        eventLog.append(List.of(sent)).get(30, TimeUnit.SECONDS);

        assertThat(readBack(key)).isEqualTo(sent);
    }

    /** The last committed event log record with {@code key}, from its partition. */
    private DataplaneEvent readBack(String key) {
        try (Consumer<byte[], byte[]> consumer = clients.consumer(ClientOptions.committedReader("round-trip-test", 500))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DATAPLANE_EVENTS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            DataplaneEvent found = null;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        found = Topics.DATAPLANE_EVENTS.deserialize(record.value());
                    }
                }
            }
            return found;
        }
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
