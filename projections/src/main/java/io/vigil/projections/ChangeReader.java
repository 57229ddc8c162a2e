package io.vigil.projections;

import io.vigil.schemas.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka consumer of every change partition, positioned at a cursor, for one catch-up: it knows
 * each partition's log start when it was opened, so it can tell whether records after the cursor
 * are gone ({@link #lost}) and how far a target lies ahead ({@link #behind}).
 *
 * <p>Not thread-safe: one thread at a time uses it (it may be opened on one thread and handed to
 * another), and that thread closes it.
 */
final class ChangeReader implements AutoCloseable {

    private final Consumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> logStarts;
    private final List<TopicPartition> lost = new ArrayList<>();

    private ChangeReader(Consumer<byte[], byte[]> consumer, ChangeCursor from) {
        this.consumer = consumer;
        this.partitions = ChangeTopics.partitions(consumer, ChangeTopics.ALL);
        consumer.assign(partitions);
        for (TopicPartition partition : partitions) {
            consumer.seek(partition, position(from, partition));
        }
        this.logStarts = consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
        for (TopicPartition partition : partitions) {
            if (position(from, partition) < logStarts.getOrDefault(partition, 0L)) {
                lost.add(partition);
            }
        }
    }

    /**
     * Opens a consumer at {@code from}; the caller closes it.
     *
     * @throws RuntimeException when Kafka does not answer, or a change topic does not exist
     */
    static ChangeReader at(KafkaClients clients, ChangeCursor from) {
        Consumer<byte[], byte[]> consumer = ChangeTopics.consumer(clients, "vigil-projections-catch-up", 500);
        try {
            return new ChangeReader(consumer, from);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /**
     * The partitions whose log start (moved by retention or deleted records, not by compaction)
     * lay past the cursor when this reader was opened: changes after the cursor that no reader
     * can read any more. Empty when the cursor can be resumed without a gap.
     */
    List<TopicPartition> lost() {
        return List.copyOf(lost);
    }

    /**
     * How many positions lie between where the consumer is (or the log's start, past a position
     * compaction or retention removed) and {@code target}, over every partition.
     */
    long behind(ChangeCursor target) {
        long behind = 0;
        for (TopicPartition partition : partitions) {
            long from = Math.max(consumer.position(partition), logStarts.getOrDefault(partition, 0L));
            behind += Math.max(0, position(target, partition) - from);
        }
        return behind;
    }

    /** Whether the consumer has read up to {@code target} in every partition. */
    boolean reached(ChangeCursor target) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < position(target, partition)) {
                return false;
            }
        }
        return true;
    }

    ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        return consumer.poll(timeout);
    }

    private static long position(ChangeCursor cursor, TopicPartition partition) {
        return cursor.next(ChangeTopics.index(partition.topic()), partition.partition());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
