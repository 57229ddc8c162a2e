package io.vigil.projections;

import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The three change topics in a fixed order (inbound, proxy, service: the order of a cursor's
 * positions) and the plain consumers that read them: {@code read_committed}, no consumer group,
 * explicit assignment. Stateless.
 */
public final class ChangeTopics {

    /** The change topics' names ({@link Topics#CHANGES}); a topic's index here is its place in a {@link ChangeCursor}. */
    public static final List<String> ALL = Topics.CHANGES.stream().map(Topic::name).toList();

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
    public static Consumer<byte[], byte[]> consumer(KafkaClients clients, String clientId, int maxPollRecords) {
        // A position below the log start would reset to the oldest record kept: ChangeReader.lost() tells first, and callers refuse it.
        return clients.consumer(ClientOptions.committedReader(clientId, maxPollRecords));
    }

    /** Every partition of {@code topics}; fails when one of them does not exist (yet). */
    public static List<TopicPartition> partitions(Consumer<byte[], byte[]> consumer, List<String> topics) {
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
