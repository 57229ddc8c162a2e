package io.vigil.aggregator.core;

import io.vigil.schemas.DataplaneKey;
import java.time.Instant;
import java.util.Objects;

/**
 * One health fact about one dataplane (SPEC section 1).
 *
 * @param id     optional client id; a repeat of one of the dataplane's last 64 ids is ignored
 * @param source where the event was read, or null
 */
public record Event(DataplaneKey dataplane, Instant time, String id, EventPayload payload, Source source) {

    public Event {
        Objects.requireNonNull(dataplane, "dataplane");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(payload, "payload");
    }
}
