package io.vigil.aggregator.runtime;

import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/** Reads {@link Topics#DEAD_LETTER} back, for tests that share one broker (each picks its own keys). */
final class DeadLetters {

    private DeadLetters() {
    }

    /** The committed dead letters whose key starts with {@code keyPrefix}. */
    static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, String keyPrefix) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = new KafkaClients(KafkaSettings.of(bootstrapServers))
                .consumer(ClientOptions.committedReader("dead-letter-reader", 500))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTER.name()).stream()
                    .map(i -> new TopicPartition(Topics.DEAD_LETTER.name(), i.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (new String(record.key(), StandardCharsets.UTF_8).startsWith(keyPrefix)) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }

    static ConsumerRecord<byte[], byte[]> byKey(List<ConsumerRecord<byte[], byte[]>> records, String key) {
        return records.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter with key " + key));
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
