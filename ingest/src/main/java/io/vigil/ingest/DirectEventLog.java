package io.vigil.ingest;

import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends events to {@link Topics#DATAPLANE_EVENTS} with a producer of its own, for code that runs
 * outside {@code vigil serve} ({@code vigil simulate --direct}, tests): the same key, acks and
 * idempotence as the ingest role's {@link EventLog}, which writes through Reactive Messaging instead.
 * Thread-safe (the producer is); the owner closes it.
 */
public final class DirectEventLog implements EventSink, AutoCloseable {

    private final Producer<String, DataplaneEvent> producer;

    public DirectEventLog(KafkaClients clients) {
        producer = clients.producer(ClientOptions.named("vigil-direct")
                .require(ProducerConfig.ACKS_CONFIG, "all")
                .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .tune(ProducerConfig.LINGER_MS_CONFIG, 2)
                .tune(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000)
                .tune(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000)
                .tune(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                new StringSerializer(), Topics.DATAPLANE_EVENTS.serde().serializer());
    }

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

    /** Flushes what is buffered and releases the producer. */
    @Override
    public void close() {
        producer.close();
    }
}
