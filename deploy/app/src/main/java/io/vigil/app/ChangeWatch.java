package io.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code vigil inspect --watch}: follows the live stream ({@code GET /api/v1/changes}). It is
 * opened before the list is read, and the server registers a stream before it answers its
 * headers, so no change between the list and the stream is lost; changes the list already
 * showed (a version not newer than the listed one) are skipped. A stream the server ended with
 * {@code event: dropped} is resumed from the cursor it gave. Runs on the caller's thread.
 */
final class ChangeWatch implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String authorization;
    private final URI uri;
    private Stream<String> stream;
    private Iterator<String> lines;

    private ChangeWatch(HttpClient http, URI uri, String authorization) {
        this.http = http;
        this.uri = uri;
        this.authorization = authorization;
    }

    /** Opens the stream at {@code uri}; returns once the server has registered it (its headers came). */
    static ChangeWatch open(HttpClient http, URI uri, String authorization) throws IOException, InterruptedException {
        ChangeWatch watch = new ChangeWatch(http, uri, authorization);
        watch.connect(null);
        return watch;
    }

    private void connect(String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            String body = String.join("\n", response.body().toList());
            String error = body.isBlank() ? "HTTP " + response.statusCode() : JSON.readTree(body).path("error").asText(body);
            throw response.statusCode() == 400 || response.statusCode() == 403
                    ? new BadInputException("the live stream refused the watch: " + error)
                    : new IllegalStateException("the live stream refused the watch: " + error);
        }
        stream = response.body();
        lines = stream.iterator();
    }

    /**
     * Prints every change {@code wanted} lets through and newer than {@code shown} (entity key to
     * the version the list showed), until {@code max} were printed (null: until the stream ends
     * for good, or the process is interrupted).
     *
     * @throws IllegalStateException when the server ends the stream without a cursor to resume from
     */
    void follow(Map<String, Long> shown, Predicate<JsonNode> wanted, Consumer<JsonNode> print, Integer max)
            throws IOException, InterruptedException {
        int printed = 0;
        String event = null;
        StringBuilder data = new StringBuilder();
        while (max == null || printed < max) {
            if (!lines.hasNext()) {
                throw new IllegalStateException("the live stream ended (did vigil stop?)");
            }
            String line = lines.next();
            if (line.startsWith("event:")) {
                event = line.substring("event:".length()).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring("data:".length()).strip());
            } else if (line.isEmpty() && event != null) {
                JsonNode body = JSON.readTree(data.toString());
                if (event.equals("dropped")) {
                    resume(body);
                } else if (CHANGES.contains(event) && isNew(body, shown)) {
                    remember(body, shown);
                    if (wanted.test(body)) {
                        print.accept(body);
                        printed++;
                    }
                }
                event = null;
                data.setLength(0);
            }
        }
    }

    /**
     * The server dropped the stream (a slow reader, or vigil stopping): resume from the cursor it
     * gave. One that fell too far behind to be replayed ({@code reload}) resumes from the present.
     */
    private void resume(JsonNode dropped) throws IOException, InterruptedException {
        String cursor = dropped.path("resume").asText(null);
        if (cursor == null) {
            throw new IllegalStateException("the live stream ended: " + dropped.path("reason").asText("no reason given"));
        }
        if (dropped.path("reload").asBoolean(false)) {
            System.err.println("vigil inspect: the watch fell too far behind and skipped changes; run it again for the current state");
        }
        stream.close();
        connect(cursor);
    }

    /** The events that are changes; others (a {@code bookmark}) carry no entity. */
    private static final Set<String> CHANGES = Set.of("inbound", "proxy", "service");

    /** A removed entity may come back at version 1; any other change is the version to beat. */
    private static void remember(JsonNode change, Map<String, Long> shown) {
        if (change.path("tombstone").asBoolean()) {
            shown.remove(change.path("key").asText());
        } else {
            shown.put(change.path("key").asText(), change.path("version").asLong());
        }
    }

    private static boolean isNew(JsonNode change, Map<String, Long> shown) {
        Long version = shown.get(change.path("key").asText());
        return version == null || change.path("version").asLong() > version;
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }
}
