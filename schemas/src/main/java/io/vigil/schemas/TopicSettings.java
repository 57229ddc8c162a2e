package io.vigil.schemas;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How vigil's topics are created.
 *
 * @param partitions partitions of a new topic, unless it is co-partitioned with an existing one
 * @param replicationFactor replicas of every partition
 * @param eventLogRetention how long the event log keeps events; the membership and dead-letter
 *     topics keep records as long, since both serve a replay or an audit of the same span
 * @param changeMinCompactionLag how long a change stays on a change topic before compaction may
 *     replace it by a later change of the same entity, so that a consumer that is behind by less
 *     sees every change and can check versions
 */
public record TopicSettings(int partitions, short replicationFactor, Duration eventLogRetention, Duration changeMinCompactionLag) {

    public TopicSettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, got " + replicationFactor);
        }
        requirePositive("eventLogRetention", eventLogRetention);
        requirePositive("changeMinCompactionLag", changeMinCompactionLag);
    }

    /** 6 partitions, 1 replica (a single-node broker), 30 days of events, 24 hours before compaction. */
    public static TopicSettings defaults() {
        return new TopicSettings(6, (short) 1, Duration.ofDays(30), Duration.ofHours(24));
    }

    /** The topic as it is to be created, with {@code partitions} partitions. */
    public NewTopic newTopic(Topic<?> topic, int partitions) {
        return new NewTopic(topic.name(), Optional.of(partitions), Optional.of(replicationFactor)).configs(configs(topic));
    }

    /** The topic-level configs of a topic, from its {@link Topic.Cleanup}. */
    public Map<String, String> configs(Topic<?> topic) {
        return switch (topic.cleanup()) {
            case RETAINED -> Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(eventLogRetention.toMillis()));
            case COMPACTED_CHANGES -> Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Long.toString(changeMinCompactionLag.toMillis()));
            case COMPACTED -> Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        };
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
