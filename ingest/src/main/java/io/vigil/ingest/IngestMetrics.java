package io.vigil.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The write API's meters: {@code vigil_ingest_events_total}, events Kafka acknowledged through
 * {@code POST /api/v1/events}, and {@code vigil_ingest_requests_total{outcome}}, requests by how
 * they were answered: {@code accepted} (202), or the reason they were refused: {@code invalid}
 * (400), {@code unauthenticated} (401), {@code forbidden} (403: a mesh the token may not write, a
 * read-only token, the dataplane cap), {@code not-running} (404: the ingest role is off),
 * {@code too-large} (413), {@code unsupported-type} (415), {@code unavailable} (503: Kafka did not
 * acknowledge in time, the census is still counting, or the role is starting), {@code other}. Every outcome is
 * registered at start, so a first refusal shows as an increase. Thread-safe.
 */
@ApplicationScoped
public class IngestMetrics {

    private static final Map<Integer, String> OUTCOMES = Map.of(202, "accepted", 400, "invalid", 401, "unauthenticated",
            403, "forbidden", 404, "not-running", 413, "too-large", 415, "unsupported-type", 503, "unavailable");

    private final Counter events;
    private final Map<String, Counter> requests = new LinkedHashMap<>();

    IngestMetrics(MeterRegistry registry) {
        events = Counter.builder("vigil.ingest.events").description("Events Kafka acknowledged through POST /api/v1/events")
                .register(registry);
        for (String outcome : OUTCOMES.values()) {
            requests.put(outcome, request(registry, outcome));
        }
        requests.put("other", request(registry, "other"));
    }

    private static Counter request(MeterRegistry registry, String outcome) {
        return Counter.builder("vigil.ingest.requests").tag("outcome", outcome)
                .description("POST /api/v1/events requests, by outcome: accepted, or why they were refused").register(registry);
    }

    /** A request was answered with {@code status}. */
    void answered(int status) {
        requests.get(OUTCOMES.getOrDefault(status, "other")).increment();
    }

    /** Kafka acknowledged {@code count} events of one request. */
    void written(int count) {
        events.increment(count);
    }
}
