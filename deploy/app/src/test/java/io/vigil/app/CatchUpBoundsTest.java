package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The live stream's catch-up bounds against the embedded broker: catch-ups at once (a resume that
 * finds every slot taken gets 503 with Retry-After, a stream from the present still opens).
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

    /** The answer to a resume, headers only read: a stream that opens would never end. */
    private static HttpResponse<InputStream> request(String query, String lastEventId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/api/v1/changes?" + query))
                .header("Accept", "text/event-stream").header("Last-Event-ID", lastEventId).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    }
}
