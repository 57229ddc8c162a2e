package io.vigil.bench;

import io.vigil.avro.InboundChange;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * What the tracked flips of {@link EndToEndLatencyBenchmark} leave in Kafka, by event id: the
 * timestamp of each flip's event-log record, the timestamp of the inbound change stage 1 wrote
 * for it (its {@code cause} names the event id), and when a {@code read_committed} consumer here
 * was handed that change. Record timestamps are the producers' CreateTime, taken as they send.
 * One thread and one consumer per topic, each from the topic's end when started; only records
 * under the tracked keys are decoded, so the background load costs a key comparison.
 */
final class FlipRecords implements AutoCloseable {

    private static final int MAX_POLL_RECORDS = 500;
    /**
     * The broker answers a parked fetch as soon as a commit makes records readable; the short wait
     * only bounds this consumer's own lag should it not, so the commit hop is the commit's.
     */
    private static final int FETCH_MAX_WAIT_MS = 10;

    private final Map<String, Long> logged = new ConcurrentHashMap<>();
    private final Map<String, Long> changed = new ConcurrentHashMap<>();
    private final Map<String, Long> seenCommitted = new ConcurrentHashMap<>();
    private final List<Reader> readers;

    /**
     * @param eventKeys  the tracked dataplanes' event-log keys
     * @param inboundKeys the tracked inbounds' {@code vigil.inbound-health} keys
     */
    FlipRecords(KafkaSettings kafka, Set<String> eventKeys, Set<String> inboundKeys) {
        KafkaClients clients = new KafkaClients(kafka);
        readers = List.of(
                new Reader(clients, Topics.DATAPLANE_EVENTS.name(), eventKeys,
                        value -> Topics.DATAPLANE_EVENTS.deserialize(value).getId(), (id, record, polled) -> logged.put(id, record.timestamp())),
                new Reader(clients, Topics.INBOUND_HEALTH.name(), inboundKeys,
                        value -> eventId(Topics.INBOUND_HEALTH.deserialize(value)), (id, record, polled) -> {
                            changed.put(id, record.timestamp());
                            seenCommitted.put(id, polled);
                        }));
        readers.forEach(Reader::start);
    }

    /** The event-log record's timestamp of the event with this id, or null when not seen (yet). */
    Long logged(String id) {
        return logged.get(id);
    }

    /** The timestamp of the inbound change the event with this id caused, or null. */
    Long changed(String id) {
        return changed.get(id);
    }

    /** When (epoch milliseconds) the read_committed consumer was handed that change, or null. */
    Long seenCommitted(String id) {
        return seenCommitted.get(id);
    }

    @Override
    public void close() throws InterruptedException {
        for (Reader reader : readers) {
            reader.consumer.wakeup();
        }
        for (Reader reader : readers) {
            reader.join();
        }
    }

    private static String eventId(InboundChange change) {
        return change.getCause().getEventId();
    }

    /** What to keep of a tracked record with an event id. */
    private interface Found {
        void found(String id, ConsumerRecord<byte[], byte[]> record, long polledMillis);
    }

    /** Reads one topic from its end on a thread of its own until woken up. */
    private static final class Reader extends Thread {

        private final Consumer<byte[], byte[]> consumer;
        private final Set<String> keys;
        private final Function<byte[], String> id;
        private final Found found;

        Reader(KafkaClients clients, String topic, Set<String> keys, Function<byte[], String> id, Found found) {
            super("flip-records-" + topic);
            setDaemon(true);
            this.consumer = clients.consumer(ClientOptions.committedReader("bench-flip-records", MAX_POLL_RECORDS)
                    .require(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS));
            this.keys = keys;
            this.id = id;
            this.found = found;
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // Resolves the end positions now, so a flip sent after the constructor returns is read.
            partitions.forEach(consumer::position);
        }

        @Override
        public void run() {
            try (consumer) {
                while (true) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofSeconds(1));
                    long polled = System.currentTimeMillis();
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        if (record.value() != null && keys.contains(new String(record.key(), StandardCharsets.UTF_8))) {
                            String eventId = id.apply(record.value());
                            if (eventId != null) {
                                found.found(eventId, record, polled);
                            }
                        }
                    }
                }
            } catch (WakeupException closing) {
                // close() ends the loop.
            }
        }
    }
}
