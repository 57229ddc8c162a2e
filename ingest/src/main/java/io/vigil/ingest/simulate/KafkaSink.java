package io.vigil.ingest.simulate;

import io.vigil.avro.DataplaneEvent;
import io.vigil.ingest.EventLog;
import io.vigil.schemas.kafka.KafkaClients;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Writes batches straight to the event log topic through the ingest role's own {@link EventLog}
 * (idempotent producer, key {@code mesh/dataplane}), bypassing the REST API. Thread-safe.
 */
public final class KafkaSink implements EventSink {

    private final EventLog log;

    public KafkaSink(KafkaClients clients) {
        this.log = new EventLog(clients);
    }

    @Override
    public void send(List<DataplaneEvent> batch) throws InterruptedException {
        try {
            log.append(batch).get();
        } catch (ExecutionException e) {
            throw new SendFailure("Kafka did not acknowledge: " + e.getCause().getMessage(), false);
        }
    }

    @Override
    public void close() {
        log.close();
    }
}
