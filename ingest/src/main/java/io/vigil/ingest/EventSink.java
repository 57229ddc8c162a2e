package io.vigil.ingest;

import io.vigil.avro.DataplaneEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where ingest's events go: the event log in production, a recording list in unit tests. Thread-safe. */
public interface EventSink {

    /** Completes once every event is durably appended, or exceptionally with the first failure. */
    CompletableFuture<Void> append(List<DataplaneEvent> events);
}
