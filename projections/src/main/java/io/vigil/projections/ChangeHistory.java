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
 * <p>Bounded twice: {@link #slots()} ({@code vigil.projections.history.max-concurrent-reads}) bounds
 * the reads at once, which the caller takes a slot of; and one read examines at most
 * {@code vigil.projections.history.max-scanned-records} records, however wide the window and
 * however few of them match. A read that stops early, at {@code limit} or at that bound, gives a
 * {@link Page#next() next} cursor: per partition, the offset of its first record not yet
 * returned, so following pages return every transition once.
 *
 * <p>Thread-safe: each read has a consumer of its own, on the caller's thread.
 */
@ApplicationScoped
public class ChangeHistory {

    /**
     * The transitions found, oldest first, and where to continue when there may be more: null when
     * every transition of the window was returned.
     */
    public record Page(List<HealthChange> transitions, ChangeCursor next) {

        /** Whether more may match than were returned ({@code next} says where to go on). */
        public boolean truncated() {
            return next != null;
        }
    }

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClients clients;
    private final Slots slots;
    private final int maxScanned;

    ChangeHistory(KafkaClients clients, ProjectionsConfig config) {
        this.clients = clients;
        this.slots = new Slots(config.history().maxConcurrentReads());
        this.maxScanned = config.history().maxScannedRecords();
    }

    /** The slots of reads at once: a caller takes one for each read and gives it back when the read returns. */
    public Slots slots() {
        return slots;
    }

    /** A dataplane's proxy changes and the changes of its inbounds, from {@code after} on when it is not null. */
    public Page dataplane(String mesh, String name, Instant from, Instant to, int limit, ChangeCursor after) {
        String key = KeyFormat.of(mesh, name);
        String inboundPrefix = key + "/";
        return read(Map.of(Topics.PROXY_HEALTH.name(), key, Topics.INBOUND_HEALTH.name(), inboundPrefix),
                k -> k.equals(key) || k.startsWith(inboundPrefix) && k.indexOf('/', inboundPrefix.length()) < 0,
                new Window(from, to, limit, after));
    }

    public Page service(String mesh, String name, Instant from, Instant to, int limit, ChangeCursor after) {
        String key = KeyFormat.of(mesh, name);
        return read(Map.of(Topics.SERVICE_HEALTH.name(), key), key::equals, new Window(from, to, limit, after));
    }

    /** What a request asks for: the time window, the page size, and the cursor of an earlier page (or null). */
    private record Window(Instant from, Instant to, int limit, ChangeCursor after) {
    }

    /**
     * @param topics each topic to read, with the entity's exact key there, or a key prefix (ending
     *               in {@code /}) when every partition must be read
     */
    private Page read(Map<String, String> topics, Predicate<String> keyMatches, Window window) {
        try (Consumer<byte[], byte[]> consumer = ChangeTopics.consumer(clients, "vigil-projections-history", 1000)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Map.Entry<String, String> topic : topics.entrySet()) {
                List<TopicPartition> all = ChangeTopics.partitions(consumer, List.of(topic.getKey()));
                partitions.addAll(topic.getValue().endsWith("/") ? all
                        : List.of(new TopicPartition(topic.getKey(), partitionOf(topic.getValue(), all.size()))));
            }
            // Assigned first: a read_committed consumer learns a partition's last stable offset only while it is assigned.
            consumer.assign(partitions);
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, window.from().toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, KAFKA_TIMEOUT);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            Map<TopicPartition, Long> starts = new HashMap<>();
            found.forEach((partition, first) -> {
                if (first != null) {
                    long start = window.after() == null ? first.offset()
                            : Math.max(first.offset(), window.after().next(ChangeTopics.index(partition.topic()), partition.partition()));
                    if (start < ends.get(partition)) {
                        starts.put(partition, start);
                    }
                }
            });
            consumer.assign(starts.keySet());
            starts.forEach(consumer::seek);
            return new Scan(consumer, starts, ends, window, keyMatches).run();
        }
    }

    /** One read's progress through its partitions; confined to the reading thread. */
    private final class Scan {

        private final Consumer<byte[], byte[]> consumer;
        private final Map<TopicPartition, Long> ends;
        private final Window window;
        private final Predicate<String> keyMatches;
        private final HealthChange.Decoder decoder = new HealthChange.Decoder();
        private final List<HealthChange> matches = new ArrayList<>();
        private final Map<TopicPartition, Integer> perPartition = new HashMap<>();
        /** Per partition, the offset of the next record this scan has not examined. */
        private final Map<TopicPartition, Long> next;
        /** Per partition still being read, the time of the last record examined. */
        private final Map<TopicPartition, Long> lastTimes = new HashMap<>();
        private final Set<TopicPartition> reading;
        private int scanned;

        Scan(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends, Window window,
             Predicate<String> keyMatches) {
            this.consumer = consumer;
            this.ends = ends;
            this.window = window;
            this.keyMatches = keyMatches;
            this.next = new HashMap<>(starts);
            this.reading = new HashSet<>(starts.keySet());
        }

        Page run() {
            while (!reading.isEmpty() && scanned < maxScanned) {
                boolean examinedAll = true;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (!reading.contains(partition)) {
                        continue;
                    }
                    if (scanned == maxScanned) {
                        examinedAll = false;
                        break;
                    }
                    examine(partition, record);
                }
                // The consumer's position is past the whole batch; a batch cut short is judged by what was examined.
                for (TopicPartition partition : List.copyOf(reading)) {
                    if ((examinedAll ? consumer.position(partition, KAFKA_TIMEOUT) : next.get(partition)) >= ends.get(partition)) {
                        stop(partition);
                    }
                }
            }
            return page();
        }

        private void examine(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
            if (record.timestamp() > window.to().toEpochMilli()) {
                stop(partition);
                return;
            }
            scanned++;
            next.put(partition, record.offset() + 1);
            lastTimes.put(partition, record.timestamp());
            if (record.key() == null || !keyMatches.test(new String(record.key(), StandardCharsets.UTF_8))) {
                return;
            }
            HealthChange change = decoder.decodeOrSkip(record);
            if (change != null) {
                matches.add(change);
                // One partition's records are in time order, so past limit + 1 its later ones cannot make the page.
                if (perPartition.merge(partition, 1, Integer::sum) > window.limit()) {
                    stop(partition);
                }
            }
        }

        /** Done with a partition: paused, so that later polls fetch only what the scan still examines. */
        private void stop(TopicPartition partition) {
            reading.remove(partition);
            consumer.pause(List.of(partition));
        }

        /**
         * The matches oldest first, cut at {@code limit}; when the scan stopped early, also cut after
         * the time every partition still being read has reached (so the next page does not go back
         * in time, but for partitions not reached at all), and the cursor of what is left.
         */
        private Page page() {
            matches.sort(Comparator.comparing(HealthChange::time).thenComparingInt(HealthChange::topic)
                    .thenComparingInt(HealthChange::partition).thenComparingLong(HealthChange::offset));
            long reached = Long.MAX_VALUE;
            for (TopicPartition partition : reading) {
                reached = Math.min(reached, lastTimes.getOrDefault(partition, Long.MAX_VALUE));
            }
            int kept = 0;
            while (kept < matches.size() && kept < window.limit() && matches.get(kept).time().toEpochMilli() <= reached) {
                kept++;
            }
            if (kept == matches.size() && reading.isEmpty()) {
                return new Page(matches, null);
            }
            Map<TopicPartition, Long> positions = new HashMap<>(next);
            for (HealthChange left : matches.subList(kept, matches.size())) {
                positions.merge(new TopicPartition(ChangeTopics.ALL.get(left.topic()), left.partition()), left.offset(), Math::min);
            }
            // Every position is at or past the earlier page's, which the copy keeps for the partitions not read.
            ChangeCursor cursor = window.after() == null ? ChangeCursor.start() : window.after().copy();
            positions.forEach((partition, position) -> {
                if (position > 0) {
                    cursor.advance(ChangeTopics.index(partition.topic()), partition.partition(), position - 1);
                }
            });
            return new Page(List.copyOf(matches.subList(0, kept)), cursor);
        }
    }

    /** The partition Kafka's default partitioner gives a record with this key. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
