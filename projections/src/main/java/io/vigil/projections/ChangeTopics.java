package io.vigil.projections;

import io.vigil.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The three change topics in a fixed order (inbound, proxy, service: the order of a cursor's
 * positions) and the plain consumers that read them: {@code read_committed}, no consumer group,
 * explicit assignment. Stateless.
 */
public final class ChangeTopics {

    /** The change topics; a topic's index here is its place in a {@link ChangeCursor}. */
    public static final List<String> ALL = List.of(Topics.INBOUND_HEALTH, Topics.PROXY_HEALTH, Topics.SERVICE_HEALTH);

    private ChangeTopics() {
    }

    public static int index(String topic) {
        int index = ALL.indexOf(topic);
        if (index < 0) {
            throw new IllegalArgumentException("not a change topic: " + topic);
        }
        return index;
    }

    /** A consumer of raw records that commits nothing; the caller assigns partitions and owns it. */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String clientId, int maxPollRecords) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A cursor below the log start (compaction, retention) resumes at the oldest record kept.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every partition of {@code topics}; fails when one of them does not exist (yet). */
    public static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist yet");
            }
            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        }
        return partitions;
    }
}
