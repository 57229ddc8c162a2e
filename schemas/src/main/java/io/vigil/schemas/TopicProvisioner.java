package io.vigil.schemas;

import static io.vigil.schemas.kafka.KafkaFutures.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the vigil topics ({@link Topics#ALL}) that are missing. Idempotent: existing topics are
 * left as they are, and a topic that a concurrent instance creates first counts as existing. A new
 * topic that must be co-partitioned gets its partner's actual partition count, which may differ
 * from {@link TopicSettings#partitions()} when an operator created the partner beforehand.
 *
 * <p>Blocking: every call waits for the broker, at most the timeout per request; call it from a
 * worker thread, not an event loop. Thread-safe, as the {@link Admin} client it uses is; it does
 * not close that client.
 */
public final class TopicProvisioner {

    private final Admin admin;
    private final TopicSettings settings;
    private final int timeoutMillis;

    public TopicProvisioner(Admin admin, TopicSettings settings, Duration timeout) {
        this.admin = admin;
        this.settings = settings;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    /**
     * Creates the missing topics.
     *
     * @return the topics this call created, in creation order; empty when all existed
     * @throws IllegalStateException if existing co-partitioned topics have different partition
     *     counts (then nothing is created: the topology cannot work until an operator fixes them)
     * @throws KafkaException if the broker fails or does not answer in time
     */
    public List<String> provision() {
        Map<String, Integer> existing = partitionCounts();
        requireCoPartitioned(existing);
        Map<String, NewTopic> missing = plan(existing);
        if (missing.isEmpty()) {
            return List.of();
        }
        Map<String, KafkaFuture<Void>> results =
                admin.createTopics(missing.values(), new CreateTopicsOptions().timeoutMs(timeoutMillis)).values();
        List<String> created = new ArrayList<>();
        boolean raced = false;
        for (String topic : missing.keySet()) {
            try {
                await(results.get(topic), "create topic " + topic);
                created.add(topic);
            } catch (TopicExistsException createdConcurrently) {
                raced = true;
            }
        }
        if (raced) {
            // Another instance created some topics first, from its own partition counts: check what it made.
            requireCoPartitioned(partitionCounts());
        }
        awaitWritable(missing.keySet());
        return created;
    }

    /**
     * Waits until every partition of {@code topics} takes records: its leader is in the metadata
     * and has opened the partition, which it answers an offset request for. A broker publishes a
     * new topic's leaders before its log layer opens the partitions, and an idempotent producer
     * whose first batch arrives in between can lose it: a later batch is appended first, and the
     * broker then refuses the first one's retries as out of order until its delivery timeout
     * (KAFKA-15591). Writers must not see a topic before it can take records.
     */
    private void awaitWritable(Collection<String> topics) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            try {
                Map<String, TopicDescription> described = await(admin.describeTopics(topics,
                        new DescribeTopicsOptions().timeoutMs(timeoutMillis)).allTopicNames(), "describe topics");
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                boolean led = true;
                for (TopicDescription topic : described.values()) {
                    for (TopicPartitionInfo partition : topic.partitions()) {
                        led &= partition.leader() != null && !partition.leader().isEmpty();
                        partitions.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest());
                    }
                }
                if (led) {
                    await(admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(timeoutMillis)).all(), "open partitions of " + topics);
                    return;
                }
            } catch (RetriableException notYetOpen) {
                // created, but not yet in the metadata or the log layer of the broker that answered
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaException("topics " + topics + " do not take records yet after " + timeoutMillis + " ms");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new InterruptException("interrupted while waiting for " + topics + " to take records", e);
            }
        }
    }

    /** Whether every vigil topic exists, e.g. for a readiness check. @throws KafkaException if the broker fails */
    public boolean allTopicsExist() {
        return await(admin.listTopics(new ListTopicsOptions().timeoutMs(timeoutMillis)).names(), "list topics")
                .containsAll(Topics.names());
    }

    /** Partition count of each vigil topic that exists. */
    private Map<String, Integer> partitionCounts() {
        Map<String, KafkaFuture<TopicDescription>> descriptions =
                admin.describeTopics(Topics.names(), new DescribeTopicsOptions().timeoutMs(timeoutMillis)).topicNameValues();
        Map<String, Integer> counts = new HashMap<>();
        for (String topic : Topics.names()) {
            try {
                counts.put(topic, await(descriptions.get(topic), "describe topic " + topic).partitions().size());
            } catch (UnknownTopicOrPartitionException missing) {
                // to be created
            }
        }
        return counts;
    }

    /** The missing topics, in {@link Topics#ALL} order, each with the partition count it must have. */
    private Map<String, NewTopic> plan(Map<String, Integer> existing) {
        Map<String, Integer> counts = new HashMap<>(existing);
        Map<String, NewTopic> missing = new LinkedHashMap<>();
        for (Topic<?> topic : Topics.ALL) {
            if (!counts.containsKey(topic.name())) {
                // Topics.ALL puts every topic after its partner, so the partner's count is known here.
                int partitions = topic.coPartitionedWith().map(partner -> counts.get(partner.name())).orElse(settings.partitions());
                counts.put(topic.name(), partitions);
                missing.put(topic.name(), settings.newTopic(topic, partitions));
            }
        }
        return missing;
    }

    private static void requireCoPartitioned(Map<String, Integer> counts) {
        List<String> problems = new ArrayList<>();
        for (Topic<?> topic : Topics.ALL) {
            Optional<String> partner = topic.coPartitionedWith().map(Topic::name);
            String name = topic.name();
            if (partner.isPresent() && counts.containsKey(name) && counts.containsKey(partner.get())
                    && !counts.get(name).equals(counts.get(partner.get()))) {
                problems.add(name + " has " + counts.get(name) + " partitions but must have " + counts.get(partner.get())
                        + " like " + partner.get() + ", with which it is co-partitioned");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Kafka topics are not co-partitioned: " + String.join("; ", problems)
                    + ". Recreate the wrong topics with the right partition count (or delete them and let vigil create them).");
        }
    }
}
