package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import io.vigil.projections.ChangeHistory;
import io.vigil.projections.Slots;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The history reads' bounds against the embedded broker: reads at once (a request that finds every
 * slot taken gets 429 with Retry-After), and records scanned per request (a read stops after
 * {@link SmallReadBounds#SCANNED_RECORDS} and its {@code next} cursor continues it, every transition
 * once, in order).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
@TestProfile(SmallReadBounds.class)
class HistoryBoundsTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final int FLIPS = 10;

    @Inject
    ChangeHistory history;

    private String mesh;
    private Instant since;
    private Instant until;

    @BeforeEach
    void oneDataplaneFlipsTenTimes() {
        mesh = "history-bounds-" + UUID.randomUUID().toString().substring(0, 8);
        since = Instant.now().minusSeconds(1);
        ChangeEvents.post(ChangeEvents.start(mesh, List.of("d1"), T0));
        ChangeEvents.post(ChangeEvents.flips(mesh, List.of("d1"), 1, FLIPS, T0));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/api/v1/meshes/" + mesh + "/dataplanes/d1").then().statusCode(200).body("version", equalTo(2 + FLIPS)));
        until = Instant.now().plusSeconds(1);
    }

    @Test
    void aReadWhileEverySlotIsTakenIsRefusedWith429AndRetryAfter() {
        String path = "/api/v1/meshes/" + mesh + "/dataplanes/d1/history";
        List<Slots.Slot> taken = new ArrayList<>();
        try {
            // The slots that running reads would hold, taken here so that the test knows they are held.
            for (Slots.Slot slot = history.slots().tryTake(); slot != null; slot = history.slots().tryTake()) {
                taken.add(slot);
            }
            assertThat(taken).hasSize(SmallReadBounds.HISTORY_READS);
            given().get(path).then().statusCode(429).header("Retry-After", "1").contentType("application/json")
                    .body("status", equalTo(429)).body("error", containsString("too many history reads"));
            given().get("/api/v1/meshes/" + mesh + "/services/web/history").then().statusCode(429).header("Retry-After", "1");
        } finally {
            taken.forEach(Slots.Slot::close);
        }
        // Each read gives its slot back: more reads one after the other than there are slots all pass.
        for (int i = 0; i <= SmallReadBounds.HISTORY_READS; i++) {
            given().get(path + "?from=" + since).then().statusCode(200);
        }
    }

    @Test
    void aReadStopsAfterTheScanBoundAndNextContinuesItWithEveryTransitionOnceInOrder() {
        for (int limit : List.of(1000, 5)) {
            List<JsonNode> pages = pages("/api/v1/meshes/" + mesh + "/dataplanes/d1/history?from=" + since + "&to=" + until
                    + "&limit=" + limit);
            assertThat(pages).as("pages with limit " + limit).hasSizeGreaterThan(1);
            assertThat(versions(pages, "proxy")).containsExactlyElementsOf(LongStream.rangeClosed(1, 2 + FLIPS).boxed().toList());
            assertThat(versions(pages, "inbound")).containsExactlyElementsOf(LongStream.rangeClosed(1, 1 + FLIPS).boxed().toList());
        }
    }

    @Test
    void aNextThatIsNotACursorIsABadRequest() {
        given().get("/api/v1/meshes/" + mesh + "/dataplanes/d1/history?next=not-a-cursor!").then().statusCode(400)
                .body("error", containsString("next"));
    }

    /** Every page of a history, following {@code next}; each page's transitions oldest first, truncated exactly when next is given. */
    private static List<JsonNode> pages(String path) {
        List<JsonNode> pages = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = Scenarios.parse(given().get(path + (next == null ? "" : "&next=" + next)).then().statusCode(200)
                    .extract().asString());
            pages.add(page);
            Instant previous = Instant.EPOCH;
            for (JsonNode transition : page.get("transitions")) {
                Instant time = Instant.parse(transition.get("time").asText());
                assertThat(time).isAfterOrEqualTo(previous);
                previous = time;
            }
            next = page.has("next") ? page.get("next").asText() : null;
            assertThat(page.get("truncated").asBoolean()).isEqualTo(next != null);
        } while (next != null && pages.size() < 200);
        return pages;
    }

    private static List<Long> versions(List<JsonNode> pages, String level) {
        List<Long> versions = new ArrayList<>();
        for (JsonNode page : pages) {
            page.get("transitions").forEach(t -> {
                if (t.get("change").get("level").asText().equals(level)) {
                    versions.add(t.get("change").get("version").asLong());
                }
            });
        }
        return versions;
    }
}
