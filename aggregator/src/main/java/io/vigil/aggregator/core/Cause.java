package io.vigil.aggregator.core;

import java.time.Instant;

/**
 * The fact that caused a change: its type, id, where it was read and when it was observed.
 * {@code source} is null for events that were not read from a log.
 */
public record Cause(String eventType, String eventId, Source source, Instant eventTime) {

    static Cause of(Event event) {
        return new Cause(event.payload().type(), event.id(), event.source(), event.time());
    }
}
