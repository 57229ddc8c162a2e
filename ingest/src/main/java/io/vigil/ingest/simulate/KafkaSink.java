package io.vigil.ingest.simulate;

import io.vigil.avro.DataplaneEvent;
import io.vigil.ingest.DirectEventLog;
import io.vigil.schemas.kafka.KafkaClients;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Writes batches straight to the event log topic through a {@link DirectEventLog} (idempotent
 * producer, key {@code mesh/dataplane}), bypassing the REST API. Thread-safe.
 */
public final class KafkaSink implements SimulationSink {

    private final DirectEventLog log;

    public KafkaSink(KafkaClients clients) {
        this.log = new DirectEventLog(clients);
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
