package io.vigil.aggregator.replay;

import io.vigil.aggregator.core.Source;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads the event log ({@link Topics#DATAPLANE_EVENTS}) from its beginning up to what it held
 * when reading started, or up to a point in time: the records appended before {@code until}
 * (by their Kafka timestamp), which is what the health was built from at that moment. Reads only
 * committed records, with no consumer group (nothing is committed back). Each partition is read
 * in order; a dataplane's events stay in order, which is all the fold needs.
 *
 * <p>Not thread-safe: one reader per thread.
 */
public final class EventLogReader {

    /** A record that is not a decodable event. */
    public record Undecodable(Source source, String reason) {
    }

    private final KafkaClients clients;

    public EventLogReader(KafkaClients clients) {
        this.clients = clients;
    }

    /**
     * Calls {@code events} for each event in partition order and {@code poison} for each record
     * that does not decode; returns the number of records read.
     */
    public long read(Instant until, BiConsumer<DataplaneEvent, Source> events, java.util.function.Consumer<Undecodable> poison) {
        long read = 0;
        try (Consumer<byte[], byte[]> consumer = clients.consumer(ClientOptions.committedReader("vigil-replay", 5_000))) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.DATAPLANE_EVENTS.name(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + Topics.DATAPLANE_EVENTS.name() + " does not exist at "
                        + clients.settings().bootstrapServers());
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            Map<TopicPartition, Long> end = endOffsets(consumer, partitions, until);
            for (TopicPartition partition : partitions) {
                long stop = end.get(partition);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                while (consumer.position(partition) < stop) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.offset() >= stop) {
                            break;
                        }
                        read++;
                        Source source = new Source(record.topic(), record.partition(), record.offset());
                        DataplaneEvent event;
                        try {
                            event = Topics.DATAPLANE_EVENTS.deserialize(record.value());
                        } catch (SerializationException e) {
                            poison.accept(new Undecodable(source, e.getMessage()));
                            continue;
                        }
                        if (event == null) {
                            poison.accept(new Undecodable(source, "empty record"));
                            continue;
                        }
                        events.accept(event, source);
                    }
                }
            }
        }
        return read;
    }

    private static Map<TopicPartition, Long> endOffsets(Consumer<?, ?> consumer, List<TopicPartition> partitions, Instant until) {
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        if (until != null) {
            Map<TopicPartition, Long> times = new HashMap<>();
            for (TopicPartition partition : partitions) {
                times.put(partition, until.toEpochMilli() + 1);
            }
            Map<TopicPartition, OffsetAndTimestamp> after = consumer.offsetsForTimes(times, Duration.ofSeconds(30));
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp first = after.get(partition);
                if (first != null) {
                    end.put(partition, first.offset());
                }
            }
        }
        return end;
    }
}
