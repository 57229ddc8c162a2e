package io.vigil.projections;

import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * The transitions of one dataplane or service within a time window, read back from the change
 * topics: Kafka finds the first record written at or after {@code from} ({@code offsetsForTimes}),
 * and the read stops at {@code to} or at the end of what was committed when it began. Only the
 * partitions that can hold the entity are read: a proxy's or service's key picks its partition
 * the way the aggregator's producer did (murmur2 of the key bytes); a dataplane's inbounds have
 * keys of their own ({@code mesh/dataplane/port}), so every inbound partition is read within the
 * window. Compaction keeps at least {@code vigil.topics.change-min-compaction-lag} of history.
 *
 * <p>Thread-safe: each read has a consumer of its own, on the caller's thread.
 */
@ApplicationScoped
public class ChangeHistory {

    /** The transitions found, oldest first, and whether more matched than were returned. */
    public record Page(List<HealthChange> transitions, boolean truncated) {
    }

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClients clients;

    ChangeHistory(KafkaClients clients) {
        this.clients = clients;
    }

    /** A dataplane's proxy changes and the changes of its inbounds. */
    public Page dataplane(String mesh, String name, Instant from, Instant to, int limit) {
        String key = KeyFormat.of(mesh, name);
        String inboundPrefix = key + "/";
        return read(Map.of(Topics.PROXY_HEALTH.name(), key, Topics.INBOUND_HEALTH.name(), inboundPrefix),
                k -> k.equals(key) || k.startsWith(inboundPrefix) && k.indexOf('/', inboundPrefix.length()) < 0, from, to, limit);
    }

    public Page service(String mesh, String name, Instant from, Instant to, int limit) {
        String key = KeyFormat.of(mesh, name);
        return read(Map.of(Topics.SERVICE_HEALTH.name(), key), key::equals, from, to, limit);
    }

    /**
     * @param topics each topic to read, with the entity's exact key there, or a key prefix (ending
     *               in {@code /}) when every partition must be read
     */
    private Page read(Map<String, String> topics, Predicate<String> keyMatches, Instant from, Instant to, int limit) {
        try (Consumer<byte[], byte[]> consumer = ChangeTopics.consumer(clients, "vigil-projections-history", 1000)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Map.Entry<String, String> topic : topics.entrySet()) {
                List<TopicPartition> all = ChangeTopics.partitions(consumer, List.of(topic.getKey()));
                partitions.addAll(topic.getValue().endsWith("/") ? all
                        : List.of(new TopicPartition(topic.getKey(), partitionOf(topic.getValue(), all.size()))));
            }
            // Assigned first: a read_committed consumer learns a partition's last stable offset only while it is assigned.
            consumer.assign(partitions);
            Map<TopicPartition, Long> starts = new HashMap<>();
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, from.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, KAFKA_TIMEOUT);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            found.forEach((partition, start) -> {
                if (start != null && start.offset() < ends.get(partition)) {
                    starts.put(partition, start.offset());
                }
            });
            consumer.assign(starts.keySet());
            starts.forEach(consumer::seek);

            HealthChange.Decoder decoder = new HealthChange.Decoder();
            List<HealthChange> matches = new ArrayList<>();
            Map<TopicPartition, Integer> perPartition = new HashMap<>();
            Set<TopicPartition> reading = new HashSet<>(starts.keySet());
            while (!reading.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (!reading.contains(partition)) {
                        continue;
                    }
                    if (record.timestamp() > to.toEpochMilli()) {
                        reading.remove(partition);
                        continue;
                    }
                    if (record.key() == null || !keyMatches.test(new String(record.key(), StandardCharsets.UTF_8))) {
                        continue;
                    }
                    HealthChange change = decoder.decodeOrSkip(record);
                    if (change != null) {
                        matches.add(change);
                        // One partition's records are in time order, so past limit + 1 its later ones cannot make the page.
                        if (perPartition.merge(partition, 1, Integer::sum) > limit) {
                            reading.remove(partition);
                        }
                    }
                }
                reading.removeIf(p -> consumer.position(p, KAFKA_TIMEOUT) >= ends.get(p));
            }
            matches.sort(Comparator.comparing(HealthChange::time).thenComparingInt(HealthChange::topic)
                    .thenComparingInt(HealthChange::partition).thenComparingLong(HealthChange::offset));
            boolean truncated = matches.size() > limit;
            return new Page(truncated ? List.copyOf(matches.subList(0, limit)) : matches, truncated);
        }
    }

    /** The partition Kafka's default partitioner gives a record with this key. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
