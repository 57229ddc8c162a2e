package io.vigil.ingest;

import io.quarkus.runtime.ShutdownEvent;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.DataplaneEventSerde;
import io.vigil.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Appends events to {@link Topics#DATAPLANE_EVENTS}, keyed {@code mesh/dataplane} so a
 * dataplane's facts keep their order, with an idempotent producer and {@code acks=all}.
 * Thread-safe (the producer is); closed, after flushing, at shutdown. {@code vigil simulate --direct}
 * uses one outside CDI.
 */
@ApplicationScoped
public class EventLog implements EventSink {

    private final KafkaProducer<String, DataplaneEvent> producer;

    /** Public for tests and tools outside CDI that write to a broker of their own. */
    public EventLog(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-ingest");
        producer = new KafkaProducer<>(config, new StringSerializer(), new DataplaneEventSerde());
    }

    /** Completes once Kafka acknowledged every event, or exceptionally with the first failure. */
    @Override
    public CompletableFuture<Void> append(List<DataplaneEvent> events) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < events.size(); i++) {
            DataplaneEvent event = events.get(i);
            CompletableFuture<Void> ack = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(Topics.DATAPLANE_EVENTS, event.getMesh() + "/" + event.getDataplane(), event),
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
