package io.vigil.app;

import static org.awaitility.Awaitility.await;

import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server-sent events client for tests: reads the stream on a thread of its own and hands over
 * events (and comments) in order; the end of the stream is an event named {@code END}.
 */
final class SseClient implements AutoCloseable {

    /** One event as the client saw it; {@code event} is {@code comment} for a comment line. */
    record Event(String id, String event, String data) {
    }

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<java.io.InputStream> response;
    private final Thread reader;

    private SseClient(HttpResponse<java.io.InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code /api/v1/changes?query}, with {@code Last-Event-ID} when it is not null; fails unless the answer is 200. */
    static SseClient open(String query, String lastEventId) {
        return open(query, lastEventId, null);
    }

    /** Like {@link #open(String, String)}, sending {@code authorization} as the Authorization header when it is not null. */
    static SseClient open(String query, String lastEventId, String authorization) {
        // Just after the application starts the projections role may not run yet (404, until the topics exist): wait until ready.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> RestAssured.given().get("/q/health/ready").statusCode() == 200);
        // 503 until the views have caught up with the change topics, just after the application starts.
        HttpResponse<java.io.InputStream> response = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> request(query, lastEventId, authorization), r -> r.statusCode() != 503 || discard(r));
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /api/v1/changes?" + query + " answered " + response.statusCode());
        }
        return new SseClient(response);
    }

    /** The status and body of a request that is expected to fail. */
    static Map.Entry<Integer, String> refused(String query, String lastEventId) throws IOException {
        return refused(query, lastEventId, null);
    }

    /** Like {@link #refused(String, String)}, with an Authorization header when {@code authorization} is not null. */
    static Map.Entry<Integer, String> refused(String query, String lastEventId, String authorization) throws IOException {
        HttpResponse<java.io.InputStream> response = request(query, lastEventId, authorization);
        try (var body = response.body()) {
            // A stream that opened would never end: its body is not read, and the status fails the caller's assertion.
            String text = response.statusCode() == 200 ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            return Map.entry(response.statusCode(), text);
        }
    }

    /** Closes a refused answer's body; false, so that the wait goes on. */
    private static boolean discard(HttpResponse<java.io.InputStream> refused) {
        try {
            refused.body().close();
        } catch (IOException ignored) {
            // Nothing to keep from a refused answer.
        }
        return false;
    }

    private static HttpResponse<java.io.InputStream> request(String query, String lastEventId, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/api/v1/changes?" + query))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, event == null ? "message" : event, data.toString()));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, "comment", line.substring(1).strip()));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException closed) {
            // close() cut the stream, or the server did.
        }
        events.add(new Event(null, "END", ""));
    }

    /** The next event that is not a comment; fails after {@code timeout}. */
    Event next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = nextOrComment(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (!event.event().equals("comment")) {
                return event;
            }
        }
    }

    /** The next event or comment; fails after {@code timeout}. */
    Event nextOrComment(Duration timeout) {
        try {
            Event event = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no event within " + timeout);
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // Closing a cut stream can fail; it is closed either way.
        }
        reader.interrupt();
    }
}
