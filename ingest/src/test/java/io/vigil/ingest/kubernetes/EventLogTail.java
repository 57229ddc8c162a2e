package io.vigil.ingest.kubernetes;

import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the event log from its beginning, keeping the events a test cares about, with the key each
 * was written under. Not thread-safe: one test thread polls it (from Awaitility's condition).
 */
final class EventLogTail implements AutoCloseable {

    /** An event as it lies on the topic. */
    record Logged(String key, DataplaneEvent event) {
    }

    private final Consumer<String, DataplaneEvent> consumer;
    private final Predicate<DataplaneEvent> wanted;
    private final List<Logged> seen = new ArrayList<>();

    EventLogTail(String bootstrapServers, Predicate<DataplaneEvent> wanted) {
        this.wanted = wanted;
        consumer = new KafkaClients(KafkaSettings.of(bootstrapServers)).consumer(ClientOptions.committedReader("event-log-tail", 500),
                new StringDeserializer(), Topics.DATAPLANE_EVENTS.serde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.DATAPLANE_EVENTS.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Every wanted event read so far, in log order per key, after one more poll. */
    List<Logged> poll() {
        for (ConsumerRecord<String, DataplaneEvent> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.value() != null && wanted.test(record.value())) {
                seen.add(new Logged(record.key(), record.value()));
            }
        }
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
