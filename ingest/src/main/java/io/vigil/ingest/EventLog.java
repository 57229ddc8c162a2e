package io.vigil.ingest;

import io.quarkus.runtime.ShutdownEvent;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends events to {@link Topics#DATAPLANE_EVENTS}, keyed {@code mesh/dataplane} so a
 * dataplane's facts keep their order, with an idempotent producer and {@code acks=all}.
 * Thread-safe (the producer is); closed, after flushing, at shutdown. {@code vigil simulate --direct}
 * uses one outside CDI.
 */
@ApplicationScoped
public class EventLog implements EventSink {

    private final Producer<String, DataplaneEvent> producer;

    /** Public for tests and tools outside CDI that write to a broker of their own. */
    public EventLog(KafkaClients clients) {
        producer = clients.producer(ClientOptions.named("vigil-ingest")
                .require(ProducerConfig.ACKS_CONFIG, "all")
                .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .tune(ProducerConfig.LINGER_MS_CONFIG, 2)
                .tune(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000)
                .tune(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000)
                .tune(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                new StringSerializer(), Topics.DATAPLANE_EVENTS.serde().serializer());
    }

    /** Completes once Kafka acknowledged every event, or exceptionally with the first failure. */
    @Override
    public CompletableFuture<Void> append(List<DataplaneEvent> events) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < events.size(); i++) {
            DataplaneEvent event = events.get(i);
            CompletableFuture<Void> ack = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(Topics.DATAPLANE_EVENTS.name(), KeyFormat.of(event.getMesh(), event.getDataplane()), event),
                    (metadata, failure) -> {
                        if (failure == null) {
                            ack.complete(null);
                        } else {
                            ack.completeExceptionally(failure);
                        }
                    });
            acks[i] = ack;
        }
        return CompletableFuture.allOf(acks);
    }

    void shutdown(@Observes ShutdownEvent event) {
        close();
    }

    /** Flushes what is buffered and releases the producer; {@code vigil simulate --direct} closes its own log. */
    public void close() {
        producer.close();
    }
}
