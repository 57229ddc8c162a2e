package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import io.vigil.projections.ChangeCursor;
import io.vigil.projections.ChangeTopics;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * The live stream's watch semantics against the embedded broker, with read tokens required:
 * {@code ?initial=true} (the state, a bookmark of its position, then exactly the live changes
 * after it, within the filters and the token's meshes), bookmarks on an idle stream,
 * {@code 410} for a cursor whose changes the topics no longer hold, and the long-poll
 * {@code GET /api/v1/changes/poll}.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
@TestProfile(ChangeWatchTest.Watch.class)
class ChangeWatchTest {

    /** Read tokens required (mesh-scoped ones in the file), and bookmarks twice a second so a test need not wait 30 s. */
    public static class Watch implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.require-read-token", "true", "vigil.tokens-file", "src/test/resources/read-tokens",
                    "vigil.projections.stream.bookmark-interval", "PT0.5S");
        }
    }

    private static final String ALL = ChangeEvents.TOKEN;
    private static final String RED_READER = "Bearer red-reader-token-0123456789";
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final List<String> DATAPLANES = List.of("d1", "d2");

    @Inject
    KafkaAdmin kafka;

    @Test
    void theInitialStateThenABookmarkThenEveryLaterChangeOnceWithoutAGap() {
        String mesh = "initial-" + UUID.randomUUID().toString().substring(0, 8);
        ChangeEvents.post(ChangeEvents.start(mesh, DATAPLANES, T0));
        ChangeEvents.post(ChangeEvents.flips(mesh, DATAPLANES, 1, 2, T0));
        // Opened while those changes may still be on their way: wherever the state is taken, the live part continues it.
        try (SseClient stream = SseClient.open("mesh=" + mesh + "&initial=true", null, ALL)) {
            InitialPart part = initialPart(stream);
            List<SseClient.Event> initial = part.entities();
            SseClient.Event bookmark = part.bookmark();
            assertThat(initial).allSatisfy(e -> {
                assertThat(e.id()).isNull();
                assertThat(Scenarios.parse(e.data()).get("initial").asBoolean()).isTrue();
                assertThat(Scenarios.parse(e.data()).get("cause").isNull()).isTrue();
            });
            JsonNode data = Scenarios.parse(bookmark.data());
            assertThat(data.get("endOfInitialState").asBoolean()).isTrue();
            assertThat(data.get("cursor").asText()).isEqualTo(bookmark.id());

            ChangeEvents.post(ChangeEvents.flips(mesh, List.of("d1"), 3, 3, T0));
            Map<String, List<Long>> versions = versions(initial);
            List<SseClient.Event> live = new ArrayList<>();
            // Every entity of the mesh, the service included, is in the state or arrives after it.
            readChanges(stream, live, seen -> last(versions(seen, versions), mesh + "/d1") == 5
                    && last(versions(seen, versions), mesh + "/d1/8080") == 4
                    && last(versions(seen, versions), mesh + "/d2") == 4 && last(versions(seen, versions), mesh + "/d2/8080") == 3
                    && versions(seen, versions).containsKey(mesh + "/web"));
            assertThat(live).allSatisfy(e -> assertThat(Scenarios.parse(e.data()).has("initial")).isFalse());
            Map<String, List<Long>> all = versions(live, versions);
            for (String key : List.of(mesh + "/d1", mesh + "/d2", mesh + "/d1/8080", mesh + "/d2/8080")) {
                List<Long> seen = all.get(key);
                assertThat(seen).as(key + ": the state's version, then every later one once")
                        .containsExactlyElementsOf(LongStream.rangeClosed(seen.get(0), last(all, key)).boxed().toList());
            }
        }
    }

    @Test
    void theInitialStateHoldsOnlyWhatTheFiltersAndTheTokenPass() {
        String red = "w-" + UUID.randomUUID().toString().substring(0, 8);
        ChangeEvents.post(ChangeEvents.start("red", List.of(red), T0));
        ChangeEvents.post(ChangeEvents.start("blue", List.of(red), T0));
        String mesh = "initial-filter-" + UUID.randomUUID().toString().substring(0, 8);
        ChangeEvents.post(ChangeEvents.start(mesh, DATAPLANES, T0));
        awaitProxyVersion(mesh, "d2", 2);
        awaitProxyVersion("blue", red, 2);
        awaitProxyVersion("red", red, 2);

        try (SseClient stream = SseClient.open("mesh=" + mesh + "&level=proxy&dataplane=d2&initial=true", null, ALL)) {
            List<SseClient.Event> initial = initialPart(stream).entities();
            assertThat(initial).extracting(SseClient.Event::event).containsExactly("proxy");
            assertThat(Scenarios.parse(initial.get(0).data()).get("key").asText()).isEqualTo(mesh + "/d2");
        }
        try (SseClient stream = SseClient.open("initial=true", null, RED_READER)) {
            List<SseClient.Event> initial = initialPart(stream).entities();
            assertThat(initial).extracting(e -> Scenarios.parse(e.data()).get("mesh").asText()).containsOnly("red");
            assertThat(initial).extracting(e -> Scenarios.parse(e.data()).get("key").asText())
                    .contains("red/" + red, "red/" + red + "/8080", "red/web");
        }
    }

    @Test
    void anIdleStreamGetsBookmarksWithACursorThatResumes() throws Exception {
        String mesh = "idle-" + UUID.randomUUID().toString().substring(0, 8);
        String cursor;
        try (SseClient idle = SseClient.open("mesh=" + mesh, null, ALL)) {
            SseClient.Event bookmark = idle.next(Duration.ofSeconds(30));
            assertThat(bookmark.event()).isEqualTo("bookmark");
            assertThat(Scenarios.parse(bookmark.data()).get("cursor").asText()).isEqualTo(bookmark.id());
            assertThat(Scenarios.parse(bookmark.data()).has("endOfInitialState")).isFalse();
            cursor = bookmark.id();
        }
        try (SseClient resumed = SseClient.open("mesh=" + mesh, cursor, ALL)) {
            ChangeEvents.post(ChangeEvents.start(mesh, List.of("d1"), T0));
            List<SseClient.Event> changes = new ArrayList<>();
            readChanges(resumed, changes, seen -> last(versions(seen, new HashMap<>()), mesh + "/d1") == 2);
            assertThat(versions(changes, new HashMap<>()).get(mesh + "/d1")).containsExactly(1L, 2L);
        }
    }

    @Test
    void aCursorWhoseChangesTheTopicsNoLongerHoldIsGone() throws Exception {
        String mesh = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        String before;
        String after;
        try (SseClient stream = SseClient.open("mesh=" + mesh, null, ALL)) {
            ChangeEvents.post(ChangeEvents.start(mesh, List.of("d1"), T0));
            List<SseClient.Event> changes = new ArrayList<>();
            readChanges(stream, changes, seen -> !seen.isEmpty());
            before = changes.get(0).id();
            ChangeEvents.post(ChangeEvents.flips(mesh, List.of("d1"), 1, 2, T0));
            readChanges(stream, changes, seen -> last(versions(seen, new HashMap<>()), mesh + "/d1") == 4);
            after = changes.get(changes.size() - 1).id();
        }
        // Records after the first cursor, up to the second, are deleted (as retention would): only the first is gone.
        ChangeCursor from = ChangeCursor.decode(before);
        ChangeCursor to = ChangeCursor.decode(after);
        Map<TopicPartition, RecordsToDelete> deletions = new HashMap<>();
        for (int topic = 0; topic < ChangeTopics.ALL.size(); topic++) {
            for (int partition = 0; partition < 64; partition++) {
                if (to.next(topic, partition) > from.next(topic, partition)) {
                    deletions.put(new TopicPartition(ChangeTopics.ALL.get(topic), partition),
                            RecordsToDelete.beforeOffset(to.next(topic, partition)));
                }
            }
        }
        assertThat(deletions).isNotEmpty();
        deleteRecords(deletions);

        Map.Entry<Integer, String> gone = SseClient.refused("mesh=" + mesh, before, ALL);
        assertThat(gone.getKey()).isEqualTo(410);
        JsonNode error = Scenarios.parse(gone.getValue());
        assertThat(error.get("status").asInt()).isEqualTo(410);
        assertThat(error.get("error").asText()).contains("no longer hold every change after this cursor", "GET /api/v1/state",
                "?initial=true");
        try (SseClient resumed = SseClient.open("mesh=" + mesh, after, ALL)) {
            assertThat(resumed.nextOrComment(Duration.ofSeconds(30)).data()).isEqualTo("connected");
        }
        given().header("Authorization", ALL).get("/api/v1/changes/poll?mesh=" + mesh + "&index=" + before)
                .then().statusCode(410).body("status", equalTo(410));
    }

    @Test
    void aPollWithoutIndexAnswersAtOnceWithThePresentAndOneFromAnIndexWithEveryLaterChangeOnce() {
        String mesh = "poll-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode present = poll("mesh=" + mesh, ALL);
        assertThat(present.get("changes")).isEmpty();
        ChangeCursor.decode(present.get("index").asText());

        ChangeEvents.post(ChangeEvents.start(mesh, List.of("d1"), T0));
        awaitProxyVersion(mesh, "d1", 2);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var service = given().header("Authorization", ALL).get("/api/v1/meshes/" + mesh + "/services/web");
            return service.statusCode() == 200 && service.jsonPath().getInt("dataplanes.online") == 1;
        });
        long serviceVersion = given().header("Authorization", ALL).get("/api/v1/meshes/" + mesh + "/services/web").jsonPath().getLong("version");
        // The changes exist already: a poll with the longest wait answers at once, and following the index gets each once.
        List<SseClient.Event> changes = new ArrayList<>();
        String index = present.get("index").asText();
        while (last(versions(changes), mesh + "/d1") < 2 || last(versions(changes), mesh + "/web") < serviceVersion) {
            JsonNode answer = poll("mesh=" + mesh + "&wait=5m&index=" + index, ALL);
            assertThat(answer.get("changes")).isNotEmpty();
            answer.get("changes").forEach(c -> changes.add(new SseClient.Event(null, c.get("level").asText(), c.toString())));
            index = answer.get("index").asText();
        }
        Map<String, List<Long>> versions = versions(changes);
        assertThat(versions.get(mesh + "/d1")).containsExactly(1L, 2L);
        assertThat(versions.get(mesh + "/d1/8080")).containsExactly(1L);
        assertThat(versions.get(mesh + "/web")).containsExactlyElementsOf(LongStream.rangeClosed(1, serviceVersion).boxed().toList());
    }

    @Test
    void aPollWaitsForTheNextChangeAndAnswersWithIt() throws Exception {
        String mesh = "poll-wait-" + UUID.randomUUID().toString().substring(0, 8);
        ChangeEvents.post(ChangeEvents.start(mesh, List.of("d1"), T0));
        awaitProxyVersion(mesh, "d1", 2);
        String index = poll("mesh=" + mesh, ALL).get("index").asText();

        CompletableFuture<HttpResponse<String>> waiting = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + RestAssured.port + "/api/v1/changes/poll?mesh=" + mesh
                                + "&level=proxy&wait=5m&index=" + index)).header("Authorization", ALL).build(),
                HttpResponse.BodyHandlers.ofString());
        // Nothing of the mesh has changed since the index: the poll is waiting (it would answer at once otherwise).
        assertThat(waiting).isNotDone();
        ChangeEvents.post(ChangeEvents.flips(mesh, List.of("d1"), 1, 1, T0));

        HttpResponse<String> answered = waiting.get(60, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        JsonNode answer = Scenarios.parse(answered.body());
        assertThat(answer.get("changes")).extracting(c -> c.get("key").asText() + " v" + c.get("version").asLong())
                .containsExactly(mesh + "/d1 v3");
        assertThat(answer.get("index").asText()).isNotEqualTo(index);
    }

    @Test
    void aPollWithNothingNewAnswersWithNoChangesAfterItsWait() {
        String mesh = "poll-quiet-" + UUID.randomUUID().toString().substring(0, 8);
        String index = poll("mesh=" + mesh, ALL).get("index").asText();
        long started = System.nanoTime();
        JsonNode answer = poll("mesh=" + mesh + "&wait=1s&index=" + index, ALL);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(answer.get("changes")).isEmpty();
        assertThat(ChangeCursor.decode(answer.get("index").asText()).reaches(ChangeCursor.decode(index))).isTrue();
        assertThat(answer.has("reload")).isFalse();
    }

    @Test
    void badWaitsAndIndexesAreBadRequests() {
        for (String wait : List.of("forever", "10m", "0s", "-1s")) {
            given().header("Authorization", ALL).get("/api/v1/changes/poll?wait=" + wait).then().statusCode(400)
                    .body("error", containsString("wait must be")).body("error", containsString(wait));
        }
        given().header("Authorization", ALL).get("/api/v1/changes/poll?index=not-a-cursor!").then().statusCode(400)
                .body("error", containsString("index is not a cursor this API gave out"));
        given().header("Authorization", ALL).get("/api/v1/changes/poll?level=zone").then().statusCode(400)
                .body("error", containsString("level must be inbound, proxy or service"));
    }

    @Test
    void aPollAnswersOnlyWithTheTokensMeshes() {
        given().header("Authorization", RED_READER).get("/api/v1/changes/poll?mesh=blue").then().statusCode(403);
        given().get("/api/v1/changes/poll").then().statusCode(401);
        String dataplane = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String index = poll("", RED_READER).get("index").asText();
        // Blue's changes are written first: had the poll let them pass, they came before red's.
        ChangeEvents.post(ChangeEvents.start("blue", List.of(dataplane), T0));
        awaitProxyVersion("blue", dataplane, 2);
        ChangeEvents.post(ChangeEvents.start("red", List.of(dataplane), T0));
        List<JsonNode> changes = new ArrayList<>();
        while (changes.stream().noneMatch(c -> c.get("key").asText().equals("red/" + dataplane) && c.get("version").asLong() == 2)) {
            JsonNode answer = poll("wait=5m&index=" + index, RED_READER);
            answer.get("changes").forEach(changes::add);
            index = answer.get("index").asText();
        }
        assertThat(changes).extracting(c -> c.get("mesh").asText()).containsOnly("red");
    }

    /**
     * Deletes records as retention would. Kafka deletes records only from topics whose cleanup
     * policy includes {@code delete}, so each topic gets {@code compact,delete} for the deletion
     * and its own policy back after it.
     */
    private void deleteRecords(Map<TopicPartition, RecordsToDelete> deletions) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> withDelete = new HashMap<>();
        Map<ConfigResource, Collection<AlterConfigOp>> restored = new HashMap<>();
        for (TopicPartition partition : deletions.keySet()) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, partition.topic());
            withDelete.put(topic, List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete"),
                    AlterConfigOp.OpType.SET)));
            restored.put(topic, List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"),
                    AlterConfigOp.OpType.SET)));
        }
        kafka.admin().incrementalAlterConfigs(withDelete).all().get();
        try {
            // The policy reaches the partition leaders asynchronously: retry until the deletion is accepted.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> kafka.admin().deleteRecords(deletions).all().get() == null);
        } finally {
            kafka.admin().incrementalAlterConfigs(restored).all().get();
        }
    }

    /** What a stream opened with {@code ?initial=true} sends first: the entities' state, then the bookmark that ends it. */
    private record InitialPart(List<SseClient.Event> entities, SseClient.Event bookmark) {
    }

    /** Reads the initial state and its bookmark; fails on any other event. */
    private static InitialPart initialPart(SseClient stream) {
        List<SseClient.Event> entities = new ArrayList<>();
        while (true) {
            SseClient.Event event = stream.next(Duration.ofSeconds(60));
            if (event.event().equals("bookmark")) {
                return new InitialPart(entities, event);
            }
            assertThat(event.event()).as(event.toString()).isIn("inbound", "proxy", "service");
            entities.add(event);
        }
    }

    /** Reads change events into {@code into}, skipping bookmarks, until {@code done} holds of them; fails on any other event. */
    private static void readChanges(SseClient stream, List<SseClient.Event> into, Predicate<List<SseClient.Event>> done) {
        while (!done.test(into)) {
            SseClient.Event event = stream.next(Duration.ofSeconds(60));
            if (event.event().equals("bookmark")) {
                continue;
            }
            assertThat(event.event()).as(event.toString()).isIn("inbound", "proxy", "service");
            into.add(event);
        }
    }

    /** {@code before} (not changed) followed by each entity's versions in {@code events}, by key. */
    private static Map<String, List<Long>> versions(List<SseClient.Event> events, Map<String, List<Long>> before) {
        Map<String, List<Long>> versions = new LinkedHashMap<>();
        before.forEach((key, seen) -> versions.put(key, new ArrayList<>(seen)));
        for (SseClient.Event event : events) {
            JsonNode change = Scenarios.parse(event.data());
            versions.computeIfAbsent(change.get("key").asText(), k -> new ArrayList<>()).add(change.get("version").asLong());
        }
        return versions;
    }

    private static Map<String, List<Long>> versions(List<SseClient.Event> events) {
        return versions(events, Map.of());
    }

    private static long last(Map<String, List<Long>> versions, String key) {
        List<Long> seen = versions.get(key);
        return seen == null ? 0 : seen.get(seen.size() - 1);
    }

    /** A poll's answer, which must be 200. */
    private static JsonNode poll(String query, String authorization) {
        return Scenarios.parse(given().header("Authorization", authorization).get("/api/v1/changes/poll" + (query.isEmpty() ? "" : "?" + query))
                .then().statusCode(200).extract().asString());
    }

    private static void awaitProxyVersion(String mesh, String dataplane, int version) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var answer = given().header("Authorization", ALL).get("/api/v1/meshes/" + mesh + "/dataplanes/" + dataplane);
            return answer.statusCode() == 200 && answer.jsonPath().getInt("version") == version;
        });
    }
}
