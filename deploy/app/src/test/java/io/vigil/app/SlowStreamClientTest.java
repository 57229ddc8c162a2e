package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A live stream client that falls behind: with a buffer of two changes, a burst of changes ends
 * its stream with {@code event: dropped} (reason and resume cursor) while the views go on; the
 * cursor resumes it without loss or duplicates. Idle streams get keepalive comments.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
@TestProfile(SlowStreamClientTest.TinyBuffer.class)
class SlowStreamClientTest {

    /** Two changes of buffer, and keepalives twice a second so the test need not wait 15 s. */
    public static class TinyBuffer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.projections.stream.buffer", "2", "vigil.projections.stream.keepalive", "PT0.5S");
        }
    }

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final List<String> DATAPLANES = List.of("d1", "d2", "d3");
    private static final int FLIPS = 10;

    @Test
    void aClientThatFallsBehindIsDroppedWithACursorThatResumesIt() {
        String mesh = "slow-" + UUID.randomUUID().toString().substring(0, 8);
        ChangeEvents.Delivered delivered = new ChangeEvents.Delivered();
        String resume;
        try (SseClient slow = SseClient.open("mesh=" + mesh, null)) {
            List<String> burst = new ArrayList<>(ChangeEvents.start(mesh, DATAPLANES, T0));
            burst.addAll(ChangeEvents.flips(mesh, DATAPLANES, 1, FLIPS, T0));
            ChangeEvents.post(burst);
            // The pipeline does not wait for the client: the views reach the end of the burst.
            for (String dataplane : DATAPLANES) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        given().get("/api/v1/meshes/" + mesh + "/dataplanes/" + dataplane).then().statusCode(200)
                                .body("version", equalTo(2 + FLIPS)));
            }
            SseClient.Event event = slow.next(Duration.ofSeconds(30));
            while (!event.event().equals("dropped")) {
                assertThat(event.event()).isIn("inbound", "proxy", "service");
                delivered.add(event);
                event = slow.next(Duration.ofSeconds(30));
            }
            JsonNode dropped = Scenarios.parse(event.data());
            assertThat(dropped.get("reason").asText()).contains("buffer of 2 changes overflowed");
            resume = dropped.get("resume").asText();
            assertThat(event.id()).isEqualTo(resume);
            assertThat(slow.next(Duration.ofSeconds(30)).event()).as("the stream ends after dropped").isEqualTo("END");
        }
        assertThat(delivered.versions.values().stream().mapToInt(List::size).sum()).isLessThan(DATAPLANES.size() * (3 + 2 * FLIPS));

        long serviceVersion = ChangeStreamTest.finalServiceVersion(mesh);
        try (SseClient resumed = SseClient.open("mesh=" + mesh, resume)) {
            delivered.readUntil(resumed, d -> DATAPLANES.stream().allMatch(dp -> d.last(mesh + "/" + dp + "/8080") == 1 + FLIPS
                    && d.last(mesh + "/" + dp) == 2 + FLIPS) && d.last(mesh + "/web") >= serviceVersion);
            for (Map.Entry<String, List<Long>> entity : delivered.versions.entrySet()) {
                long last = entity.getValue().get(entity.getValue().size() - 1);
                assertThat(entity.getValue()).as(entity.getKey()).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
            }
            SseClient.Event idle = resumed.nextOrComment(Duration.ofSeconds(10));
            while (!idle.event().equals("comment") || !idle.data().equals("keepalive")) {
                idle = resumed.nextOrComment(Duration.ofSeconds(10));
            }
        }
    }
}
