package io.vigil.aggregator.runtime;

import static io.vigil.aggregator.runtime.CountingLogic.bytes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One stage's Kafka in memory, for {@link StageRunner} tests without a broker. As its
 * {@link StageClients} it makes, per session, a {@link MockProducer} and two {@link MockConsumer}s
 * that see what earlier sessions committed, as a broker would: the group consumer starts each input
 * partition at the group's committed offset, the restore consumer reads the changelog records the
 * committed transactions wrote (after any the test seeded), and {@link #changelogEnds} says where
 * the changelog ends as written. {@link #holdMarkers} makes the transactions committed from then on
 * count in the group's offsets and the changelog's end before their changelog records are readable,
 * as when a commit's marker reaches {@code __consumer_offsets} before the changelog partition;
 * {@link #writeMarkers} makes them readable. The test appends input records and
 * moves partitions with {@link #rebalance}, which the group consumer carries out inside its next
 * poll, on the loop's thread, as Kafka does.
 *
 * <p>The {@link #journal} lists, in order with the logic's own entries, the rebalance callbacks,
 * the polls, the commits and aborts, so that a test can assert what happened before what.
 */
final class FakeKafka implements StageClients {

    static final String GROUP = "vigil-aggregator-counting";
    static final int PARTITIONS = 3;

    final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    private final String input;
    private final String changelog;
    private final Map<Integer, List<ConsumerRecord<byte[], byte[]>>> inputLog = new ConcurrentHashMap<>();
    private final Map<Integer, List<ProducerRecord<byte[], byte[]>>> seeded = new ConcurrentHashMap<>();
    private final List<TransactionalProducer> producers = new CopyOnWriteArrayList<>();
    private final List<GroupConsumer> groupConsumers = new CopyOnWriteArrayList<>();
    private final List<RestoreConsumer> restoreConsumers = new CopyOnWriteArrayList<>();
    private volatile List<TopicPartition> assignOnJoin;
    /** Committed transactions whose changelog records are not readable yet: each a producer and a range of its history. */
    private final List<Unmarked> unmarked = new CopyOnWriteArrayList<>();
    private volatile boolean markersHeld;
    /** Values longer than this are refused as a broker refuses a record over a topic's max.message.bytes. */
    volatile int refuseValuesOver = Integer.MAX_VALUE;

    FakeKafka(String input, String changelog) {
        this.input = input;
        this.changelog = changelog;
    }

    /** Appends an input record; its offset is the partition's next. */
    void append(int partition, String key, String value) {
        append(partition, bytes(key), bytes(value), new RecordHeaders());
    }

    /** Appends an input record with its headers; its offset is the partition's next. */
    void append(int partition, byte[] key, byte[] value, Headers headers) {
        List<ConsumerRecord<byte[], byte[]>> log = inputLog.computeIfAbsent(partition, p -> new CopyOnWriteArrayList<>());
        log.add(new ConsumerRecord<>(input, partition, log.size(), ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers, Optional.empty()));
    }

    /** A changelog record that was there before any session (null value: a tombstone). */
    void seedChangelog(int partition, String key, String value) {
        seeded.computeIfAbsent(partition, p -> new CopyOnWriteArrayList<>())
                .add(new ProducerRecord<>(changelog, partition, bytes(key), bytes(value)));
    }

    /** The group gives this member exactly {@code partitions}, inside the current group consumer's next poll. */
    void rebalance(int... partitions) {
        member().rebalanceOnNextPoll(inputs(partitions));
    }

    /** Every group consumer made from now on gets {@code partitions} in its first poll. */
    void assignOnJoin(int... partitions) {
        assignOnJoin = inputs(partitions);
    }

    int sessions() {
        return producers.size();
    }

    TransactionalProducer producer() {
        return producers.get(producers.size() - 1);
    }

    TransactionalProducer producer(int session) {
        return producers.get(session);
    }

    /** The current session's group consumer. */
    GroupConsumer member() {
        return groupConsumers.get(groupConsumers.size() - 1);
    }

    GroupConsumer member(int session) {
        return groupConsumers.get(session);
    }

    /** The current session's restore consumer. */
    RestoreConsumer restorer() {
        return restoreConsumers.get(restoreConsumers.size() - 1);
    }

    RestoreConsumer restorer(int session) {
        return restoreConsumers.get(session);
    }

    /** The group's offsets, as every committed transaction of every session left them. */
    Map<TopicPartition, OffsetAndMetadata> committedOffsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TransactionalProducer producer : producers) {
            for (Map<String, Map<TopicPartition, OffsetAndMetadata>> transaction : producer.consumerGroupOffsetsHistory()) {
                offsets.putAll(transaction.getOrDefault(GROUP, Map.of()));
            }
        }
        return offsets;
    }

    /** From now on, a committed transaction's changelog records stay unreadable until {@link #writeMarkers}. */
    void holdMarkers() {
        markersHeld = true;
    }

    /** The held transactions' changelog records become readable, to the current restore consumer too. */
    void writeMarkers() {
        markersHeld = false;
        unmarked.clear();
        RestoreConsumer current = restorer();
        current.feed();
    }

    /**
     * Changelog partitions end where every committed transaction's records end, readable or not;
     * every topic takes records up to {@link #topicLimit}.
     */
    @Override
    public StageAdmin admin() {
        return new StageAdmin() {
            @Override
            public Map<TopicPartition, Long> highWatermarks(Collection<TopicPartition> changelogs) {
                Map<TopicPartition, Long> ends = new HashMap<>();
                changelogs.forEach(partition -> ends.put(partition, (long) changelog(partition.partition(), true).size()));
                return ends;
            }

            @Override
            public Map<String, Integer> maxMessageBytes(Collection<String> topics) {
                Map<String, Integer> limits = new HashMap<>();
                topics.forEach(topic -> limits.put(topic, topicLimit()));
                return limits;
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * The changelog partition: seeded records, then what committed transactions wrote, with offsets
     * from 0; without {@code unreadable}, only up to the first record whose marker is held.
     */
    private List<ConsumerRecord<byte[], byte[]>> changelog(int partition, boolean unreadable) {
        List<ProducerRecord<byte[], byte[]>> written = new ArrayList<>(seeded.getOrDefault(partition, List.of()));
        int readable = written.size();
        for (TransactionalProducer producer : producers) {
            List<ProducerRecord<byte[], byte[]>> history = producer.history();
            for (int i = 0; i < history.size(); i++) {
                ProducerRecord<byte[], byte[]> record = history.get(i);
                if (record.topic().equals(changelog) && record.partition() == partition) {
                    written.add(record);
                    if (readable == written.size() - 1 && !isUnmarked(producer, i)) {
                        readable = written.size();
                    }
                }
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : written.subList(0, unreadable ? written.size() : readable)) {
            records.add(new ConsumerRecord<>(changelog, partition, records.size(), record.key(), record.value()));
        }
        return records;
    }

    /** A topic's max.message.bytes that refuses what {@link #refuseValuesOver} refuses, as the runner counts a record's bytes. */
    private int topicLimit() {
        return refuseValuesOver == Integer.MAX_VALUE ? Integer.MAX_VALUE : refuseValuesOver + 256;
    }

    private boolean isUnmarked(TransactionalProducer producer, int index) {
        return unmarked.stream().anyMatch(u -> u.producer() == producer && index >= u.from() && index < u.to());
    }

    private record Unmarked(TransactionalProducer producer, int from, int to) {
    }

    /** A poll, unless the journal's last entry is the same poll (a loop with nothing to do polls on and on). */
    private void journalPoll(String entry) {
        synchronized (journal) {
            if (journal.isEmpty() || !journal.get(journal.size() - 1).equals(entry)) {
                journal.add(entry);
            }
        }
    }

    private List<TopicPartition> inputs(int... partitions) {
        return IntStream.of(partitions).mapToObj(p -> new TopicPartition(input, p)).toList();
    }

    @Override
    public Producer<byte[], byte[]> transactionalProducer() {
        TransactionalProducer producer = new TransactionalProducer();
        producers.add(producer);
        return producer;
    }

    @Override
    public Consumer<byte[], byte[]> groupConsumer() {
        GroupConsumer consumer = new GroupConsumer(groupConsumers.size() + 1);
        Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets();
        for (TopicPartition partition : inputs(IntStream.range(0, PARTITIONS).toArray())) {
            OffsetAndMetadata at = committed.get(partition);
            consumer.updateBeginningOffsets(Map.of(partition, at == null ? 0L : at.offset()));
        }
        if (assignOnJoin != null) {
            consumer.rebalanceOnNextPoll(assignOnJoin);
        }
        groupConsumers.add(consumer);
        return consumer;
    }

    @Override
    public Consumer<byte[], byte[]> restoreConsumer() {
        RestoreConsumer consumer = new RestoreConsumer();
        restoreConsumers.add(consumer);
        return consumer;
    }

    /**
     * Commits and aborts go to the journal. A value over {@link #refuseValuesOver} is refused the
     * way Kafka refuses it: the transaction can no longer commit, and when the commit is tried the
     * producer fails every record sent after it with the same {@link RecordTooLargeException}
     * (records it had not sent yet), before the refused record's own callback.
     */
    final class TransactionalProducer extends MockProducer<byte[], byte[]> {

        private RecordTooLargeException refusal;
        private final List<Runnable> failOnCommit = new ArrayList<>();

        TransactionalProducer() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (refusal == null && record.value() != null && record.value().length > refuseValuesOver) {
                RecordTooLargeException refused = new RecordTooLargeException("the record of " + record.value().length
                        + " bytes is larger than the topic's max.message.bytes");
                refusal = refused;
                commitTransactionException = new KafkaException("Cannot execute transactional method because we are in an error state", refused);
                failOnCommit.add(() -> callback.onCompletion(null, refused));
                return CompletableFuture.failedFuture(refused);
            }
            if (refusal != null) {
                RecordTooLargeException doomed = refusal;
                failOnCommit.add(0, () -> callback.onCompletion(null, doomed));
                return CompletableFuture.failedFuture(doomed);
            }
            return super.send(record, callback);
        }

        @Override
        public void commitTransaction() {
            failOnCommit.forEach(Runnable::run);
            failOnCommit.clear();
            int from = history().size();
            super.commitTransaction();
            if (markersHeld) {
                unmarked.add(new Unmarked(this, from, history().size()));
            }
            journal.add("commit");
        }

        @Override
        public void abortTransaction() {
            failOnCommit.forEach(Runnable::run);
            failOnCommit.clear();
            refusal = null;
            super.abortTransaction();
            journal.add("abort");
        }
    }

    /**
     * The stage's group member: starts where the group committed, is fed the input log of the
     * partitions it is assigned, and journals its polls and the callbacks it runs.
     */
    final class GroupConsumer extends MockConsumer<byte[], byte[]> {

        private final int generation;
        private final Map<TopicPartition, Integer> fed = new HashMap<>();
        private ConsumerRebalanceListener listener;

        GroupConsumer(int generation) {
            super("earliest");
            this.generation = generation;
        }

        @Override
        public void subscribe(Collection<String> topics, ConsumerRebalanceListener callbacks) {
            listener = new JournalingListener(callbacks);
            super.subscribe(topics, listener);
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            journalPoll("group-poll " + timeout);
            feed();
            return super.poll(timeout);
        }

        /** Runs the callbacks, then feeds the new assignment (a rebalance drops what was fetched). */
        @Override
        public synchronized void rebalance(Collection<TopicPartition> assignment) {
            super.rebalance(assignment);
            fed.clear();
            feed();
        }

        void rebalanceOnNextPoll(List<TopicPartition> assignment) {
            schedulePollTask(() -> rebalance(assignment));
        }

        /** The member's generation ends without a revocation: its next poll runs onPartitionsLost. */
        void loseOnNextPoll() {
            schedulePollTask(() -> listener.onPartitionsLost(assignment()));
        }

        @Override
        public ConsumerGroupMetadata groupMetadata() {
            return new ConsumerGroupMetadata(GROUP, generation, "member-" + generation, Optional.empty());
        }

        private void feed() {
            for (TopicPartition partition : assignment()) {
                List<ConsumerRecord<byte[], byte[]>> log = inputLog.getOrDefault(partition.partition(), List.of());
                for (int i = fed.getOrDefault(partition, 0); i < log.size(); i++) {
                    addRecord(log.get(i));
                }
                fed.put(partition, log.size());
            }
        }
    }

    /**
     * Reads the changelog as a {@code read_committed} consumer would: what committed transactions
     * wrote, up to the first whose marker is held; its end offsets are that last stable offset.
     * Journals its assignments and polls.
     */
    final class RestoreConsumer extends MockConsumer<byte[], byte[]> {

        /** Per partition, how many of its changelog records this consumer was given. */
        private final Map<Integer, Integer> fed = new HashMap<>();

        RestoreConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void assign(Collection<TopicPartition> partitions) {
            journal.add("restore-assign " + new TreeSet<>(partitions.stream().map(TopicPartition::partition).toList()));
            super.assign(partitions);
            fed.clear();
            for (TopicPartition partition : partitions) {
                updateBeginningOffsets(Map.of(partition, 0L));
            }
            feed();
        }

        /** Adds the records that became readable since the last call. */
        synchronized void feed() {
            for (TopicPartition partition : assignment()) {
                List<ConsumerRecord<byte[], byte[]>> readable = changelog(partition.partition(), false);
                readable.subList(fed.getOrDefault(partition.partition(), 0), readable.size()).forEach(this::addRecord);
                fed.put(partition.partition(), readable.size());
            }
        }

        @Override
        public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
            Map<TopicPartition, Long> ends = new HashMap<>();
            partitions.forEach(partition -> ends.put(partition, (long) changelog(partition.partition(), false).size()));
            return ends;
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            journalPoll("restore-poll");
            return super.poll(timeout);
        }
    }

    /** Journals the callbacks around the runner's listener: when each began and returned. */
    private final class JournalingListener implements ConsumerRebalanceListener {

        private final ConsumerRebalanceListener delegate;

        JournalingListener(ConsumerRebalanceListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            journal.add("revoked " + numbers(partitions) + " begin");
            delegate.onPartitionsRevoked(partitions);
            journal.add("revoked " + numbers(partitions) + " end");
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            journal.add("assigned " + numbers(partitions) + " begin");
            delegate.onPartitionsAssigned(partitions);
            journal.add("assigned " + numbers(partitions) + " end");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            journal.add("lost " + numbers(partitions));
            delegate.onPartitionsLost(partitions);
        }

        private static TreeSet<Integer> numbers(Collection<TopicPartition> partitions) {
            return new TreeSet<>(partitions.stream().map(TopicPartition::partition).toList());
        }
    }
}
