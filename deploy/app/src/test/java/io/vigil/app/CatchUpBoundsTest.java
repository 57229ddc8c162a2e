package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import io.vigil.projections.ChangeStream;
import io.vigil.projections.Slots;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The live stream's catch-up bounds against the embedded broker: catch-ups at once (a resume that
 * finds every slot taken gets 503 with Retry-After, a stream from the present still opens), and
 * how far behind a resume may be (further, it gets {@code dropped} with {@code "reload": true} and
 * a cursor from which, after re-reading the state, nothing is lost; within, it is replayed).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
@TestProfile(SmallReadBounds.class)
class CatchUpBoundsTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Inject
    ChangeStream stream;

    @Test
    void aResumeWhileEveryCatchUpSlotIsTakenIsRefusedWith503AndRetryAfter() throws Exception {
        String mesh = "catch-up-slots-" + UUID.randomUUID().toString().substring(0, 8);
        ChangeEvents.Delivered delivered = new ChangeEvents.Delivered();
        try (SseClient first = SseClient.open("mesh=" + mesh, null)) {
            ChangeEvents.post(ChangeEvents.start(mesh, List.of("d1"), T0));
            delivered.readUntil(first, d -> d.events.size() == 1);
        }
        List<Slots.Slot> taken = new ArrayList<>();
        try {
            // The slots that running catch-ups would hold, taken here so that the test knows they are held.
            for (Slots.Slot slot = stream.catchUpSlots().tryTake(); slot != null; slot = stream.catchUpSlots().tryTake()) {
                taken.add(slot);
            }
            assertThat(taken).hasSize(SmallReadBounds.CATCH_UPS);
            HttpResponse<InputStream> refused = request("mesh=" + mesh, delivered.lastId);
            try (InputStream body = refused.body()) {
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
                assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
                String json = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(Scenarios.parse(json).get("status").asInt()).isEqualTo(503);
                assertThat(Scenarios.parse(json).get("error").asText()).contains("too many resuming streams are catching up");
            }
            // Only resumes hold a consumer: a stream from the present still opens.
            try (SseClient live = SseClient.open("mesh=" + mesh, null)) {
                assertThat(live.nextOrComment(Duration.ofSeconds(30)).data()).isEqualTo("connected");
            }
        } finally {
            taken.forEach(Slots.Slot::close);
        }
        // With the slots free the same cursor resumes, and each catch-up gives its slot back when it ends.
        for (int i = 0; i <= SmallReadBounds.CATCH_UPS; i++) {
            ChangeEvents.Delivered resumed = new ChangeEvents.Delivered();
            resumed.add(delivered.events.get(0));
            try (SseClient again = SseClient.open("mesh=" + mesh, delivered.lastId)) {
                resumed.readUntil(again, d -> d.last(mesh + "/d1") == 2 && d.last(mesh + "/d1/8080") == 1);
            }
        }
    }

    @Test
    void aResumeFurtherBehindThanTheBoundIsDroppedWithReloadAndACursorThatLosesNothingAfterTheState() {
        String mesh = "catch-up-far-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> dataplanes = List.of("d1", "d2", "d3");
        String farBehind;
        try (SseClient first = SseClient.open("mesh=" + mesh, null)) {
            ChangeEvents.post(ChangeEvents.start(mesh, dataplanes, T0));
            ChangeEvents.post(ChangeEvents.flips(mesh, dataplanes, 1, 10, T0));
            farBehind = first.next(Duration.ofSeconds(60)).id();
        }
        // 3 x (11 inbound + 12 proxy) changes and the services' after the cursor: well over the bound.
        Map<String, Long> state = versions(mesh, dataplanes, 12);

        String resume;
        try (SseClient behind = SseClient.open("mesh=" + mesh, farBehind)) {
            SseClient.Event dropped = behind.next(Duration.ofSeconds(60));
            assertThat(dropped.event()).isEqualTo("dropped");
            JsonNode data = Scenarios.parse(dropped.data());
            assertThat(data.get("reload").asBoolean()).isTrue();
            assertThat(data.get("reason").asText()).contains("more than the " + SmallReadBounds.CATCH_UP_CHANGES + " a catch-up replays",
                    "GET /api/v1/state");
            resume = data.get("resume").asText();
            assertThat(dropped.id()).isEqualTo(resume);
            assertThat(behind.next(Duration.ofSeconds(30)).event()).as("the stream ends after dropped").isEqualTo("END");
        }

        // The client re-reads the state (done above: the views had every change), then resumes from the cursor.
        ChangeEvents.Delivered delivered = new ChangeEvents.Delivered();
        try (SseClient resumed = SseClient.open("mesh=" + mesh, resume)) {
            ChangeEvents.post(ChangeEvents.flips(mesh, dataplanes, 11, 12, T0));
            delivered.readUntil(resumed, d -> dataplanes.stream().allMatch(dp -> d.last(mesh + "/" + dp) == 14
                    && d.last(mesh + "/" + dp + "/8080") == 13));
        }
        for (String key : state.keySet()) {
            long seen = state.get(key);
            assertThat(delivered.versions.get(key)).as(key + " after the state's version " + seen)
                    .allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(seen))
                    .filteredOn(v -> v > seen).containsExactly(seen + 1, seen + 2);
        }
    }

    @Test
    void aResumeWithinTheBoundIsReplayed() {
        String mesh = "catch-up-near-" + UUID.randomUUID().toString().substring(0, 8);
        ChangeEvents.Delivered delivered = new ChangeEvents.Delivered();
        try (SseClient first = SseClient.open("mesh=" + mesh, null)) {
            ChangeEvents.post(ChangeEvents.start(mesh, List.of("d1"), T0));
            delivered.readUntil(first, d -> d.events.size() == 1);
        }
        versions(mesh, List.of("d1"), 2);
        try (SseClient resumed = SseClient.open("mesh=" + mesh, delivered.lastId)) {
            // Anything but a change (a dropped event) fails the read.
            delivered.readUntil(resumed, d -> d.last(mesh + "/d1") == 2 && d.last(mesh + "/d1/8080") == 1);
        }
        assertThat(delivered.versions.get(mesh + "/d1")).containsExactly(1L, 2L);
    }

    /** Once every dataplane's proxy is at {@code proxyVersion}: the version of each proxy and inbound, by key. */
    private static Map<String, Long> versions(String mesh, List<String> dataplanes, int proxyVersion) {
        Map<String, Long> versions = new LinkedHashMap<>();
        for (String dataplane : dataplanes) {
            String path = "/api/v1/meshes/" + mesh + "/dataplanes/" + dataplane;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    given().get(path).then().statusCode(200).body("version", equalTo(proxyVersion)));
            versions.put(mesh + "/" + dataplane, (long) proxyVersion);
            versions.put(mesh + "/" + dataplane + "/8080", (long) proxyVersion - 1);
        }
        return versions;
    }

    /** The answer to a resume, headers only read: a stream that opens would never end. */
    private static HttpResponse<InputStream> request(String query, String lastEventId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/api/v1/changes?" + query))
                .header("Accept", "text/event-stream").header("Last-Event-ID", lastEventId).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    }
}
