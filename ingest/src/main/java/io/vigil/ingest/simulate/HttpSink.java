package io.vigil.ingest.simulate;

import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Posts batches to {@code POST /api/v1/events} as JSON lines with a bearer token. A {@code 503}
 * or a broken connection is retried with exponential backoff (the events carry ids, so a batch
 * that was half written is applied once); any other refusal fails the batch with the server's
 * answer, and {@code 401}/{@code 403} (a refused token) and {@code 404} (no ingest role there) fail
 * the run. Thread-safe: the HTTP client is shared and each call waits for its own answer.
 */
public final class HttpSink implements SimulationSink {

    private static final int ATTEMPTS = 8;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(3);

    private final URI events;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param target vigil's base URL, such as {@code http://127.0.0.1:8080} */
    public HttpSink(String target, String token) {
        this.events = URI.create(target.replaceAll("/+$", "") + "/api/v1/events");
        this.authorization = "Bearer " + token;
    }

    @Override
    public void send(List<DataplaneEvent> batch) throws InterruptedException {
        StringBuilder body = new StringBuilder(batch.size() * 256);
        for (DataplaneEvent event : batch) {
            body.append(EventJson.renderText(event)).append('\n');
        }
        HttpRequest request = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-ndjson").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        Duration backoff = FIRST_BACKOFF;
        String lastProblem = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status == 202) {
                    return;
                }
                lastProblem = "HTTP " + status + " " + response.body();
                if (status != 503) {
                    throw new SendFailure(lastProblem, status == 401 || status == 403 || status == 404);
                }
            } catch (IOException e) {
                lastProblem = "cannot reach " + events + ": " + e;
            }
        }
        throw new SendFailure(lastProblem + " (after " + ATTEMPTS + " attempts)", false);
    }

    @Override
    public void close() {
        // HttpClient has no close before Java 21; its threads are daemons.
    }
}
