package io.vigil.app;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Events that make known changes, for the live stream and history tests, and bookkeeping of the
 * changes a stream delivered. Each dataplane has one inbound (port 8080, service {@code web})
 * whose health custom automation sets: the upsert makes inbound version 1 and proxy version 1,
 * connecting makes proxy version 2, and every later {@code inbound-health} flip makes one more of
 * each.
 */
final class ChangeEvents {

    static final String TOKEN = "Bearer all-meshes-token";

    private ChangeEvents() {
    }

    static String upsert(String mesh, String dataplane, Instant time) {
        return "{\"type\": \"dataplane-upserted\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane + "\", \"time\": \"" + time
                + "\", \"environment\": \"universal\", \"spec\": {\"networking\": {\"address\": \"127.0.0.1\", \"inbound\": "
                + "[{\"port\": 8080, \"tags\": {\"kuma.io/service\": \"web\", \"team\": \"" + dataplane + "-team\"}, \"health\": {\"ready\": true}}]}}}";
    }

    static String connect(String mesh, String dataplane, Instant time) {
        return "{\"type\": \"stream-connected\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane + "\", \"time\": \"" + time
                + "\", \"instance\": \"cp-1\"}";
    }

    /** The {@code n}-th flip (from 1) of the inbound's health: odd flips make it not ready, even ones ready again. */
    static String flip(String mesh, String dataplane, int n, Instant time) {
        return "{\"type\": \"inbound-health\", \"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane + "\", \"time\": \"" + time
                + "\", \"id\": \"flip-" + n + "\", \"port\": 8080, \"ready\": " + (n % 2 == 0) + "}";
    }

    /** Upsert and connect each dataplane. */
    static List<String> start(String mesh, List<String> dataplanes, Instant time) {
        List<String> events = new ArrayList<>();
        for (String dataplane : dataplanes) {
            events.add(upsert(mesh, dataplane, time));
            events.add(connect(mesh, dataplane, time.plusSeconds(1)));
        }
        return events;
    }

    /** Flips {@code from} to {@code to} (inclusive) of each dataplane. */
    static List<String> flips(String mesh, List<String> dataplanes, int from, int to, Instant time) {
        List<String> events = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            for (String dataplane : dataplanes) {
                events.add(flip(mesh, dataplane, n, time.plusSeconds(10 + n)));
            }
        }
        return events;
    }

    static void post(List<String> events) {
        given().contentType("application/x-ndjson").header("Authorization", TOKEN)
                .body(String.join("\n", events).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/events").then().statusCode(202);
    }

    /** Per entity key, the versions a stream delivered, in the order it delivered them. */
    static final class Delivered {

        final Map<String, List<Long>> versions = new LinkedHashMap<>();
        final List<SseClient.Event> events = new ArrayList<>();
        String lastId;

        void add(SseClient.Event event) {
            JsonNode change = Scenarios.parse(event.data());
            versions.computeIfAbsent(change.get("key").asText(), k -> new ArrayList<>()).add(change.get("version").asLong());
            events.add(event);
            lastId = event.id();
        }

        /** Reads change events from {@code client} until {@code done} holds; fails on any other event or after a minute. */
        void readUntil(SseClient client, Predicate<Delivered> done) {
            while (!done.test(this)) {
                SseClient.Event event = client.next(Duration.ofSeconds(60));
                if (!List.of("inbound", "proxy", "service").contains(event.event())) {
                    throw new AssertionError("unexpected " + event);
                }
                add(event);
            }
        }

        long last(String key) {
            List<Long> seen = versions.get(key);
            return seen == null ? 0 : seen.get(seen.size() - 1);
        }
    }
}
