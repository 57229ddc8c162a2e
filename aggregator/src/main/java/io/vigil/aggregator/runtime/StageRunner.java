package io.vigil.aggregator.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.schemas.Topic;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Runs one aggregator stage with exactly-once semantics: a poll-process-commit loop in which the
 * outputs, the changelog writes of changed keys and the input offsets of a batch commit in one
 * Kafka transaction ({@code sendOffsetsToTransaction} with the consumer's group metadata, so a
 * zombie from an older generation is fenced). Readers use {@code read_committed}.
 *
 * <p>On assignment it restores each new partition's state from the changelog before processing
 * (readiness is false meanwhile); on revocation it commits the open batch, then drops those
 * partitions' state. Any failure of the transaction abandons every partition's in-memory state
 * and starts over from the last commit: new clients, a rejoin, and a restore, the way Kafka
 * Streams handles a dirty task. Since the rules are deterministic, the redone work writes the
 * very changes, with the very versions, that the aborted transaction held.
 *
 * <p>Threading: the consumer, the producer and the {@link StageLogic} are used only by the
 * runner's own thread (the rebalance callbacks run inside {@code poll} on it). {@link #start},
 * {@link #close} and the status accessors may be called from any thread.
 */
public final class StageRunner implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StageRunner.class.getName());
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final MetricName LAG = new MetricName("records-lag-max", "consumer-fetch-manager-metrics", "", Map.of());

    private final StageLogic logic;
    private final StageConfig config;
    private final KafkaClients clients;
    private final StageMetrics metrics;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean ready;
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile Set<Integer> ownedSnapshot = Set.of();

    // The loop's own state, touched only by its thread.
    private Producer<byte[], byte[]> producer;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final Set<Integer> owned = new HashSet<>();
    private final TransactionOutputs outputs = new TransactionOutputs();
    private boolean inTransaction;
    private long batchStartNanos;
    private int batchRecords;
    private long lagReadAt;

    public StageRunner(StageLogic logic, StageConfig config, KafkaClients clients, MeterRegistry registry) {
        this.logic = logic;
        this.config = config;
        this.clients = clients;
        this.metrics = new StageMetrics(registry, logic.name());
        this.thread = new Thread(this::loop, "vigil-aggregator-" + logic.name());
    }

    public StageRunner start() {
        thread.start();
        return this;
    }

    /** True once the stage has joined its group and restored every partition it owns. */
    public boolean ready() {
        return ready;
    }

    public String name() {
        return logic.name();
    }

    /** The input partitions this instance owns and has restored. */
    public Set<Integer> partitions() {
        return ownedSnapshot;
    }

    /** Commits the open batch, leaves the group and stops; waits up to 30 s. */
    @Override
    public void close() {
        running = false;
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (running) {
            try {
                runSession();
            } catch (WakeupException stopping) {
                // close() was called
            } catch (RuntimeException e) {
                ready = false;
                LOG.log(Level.WARNING, "aggregator stage " + logic.name() + " failed; restarting from the last commit: " + e, e);
                sleep(RETRY);
            }
        }
    }

    /** One life of the clients: from joining the group to a failure or to close(). */
    private void runSession() {
        abandonState();
        try (Producer<byte[], byte[]> txProducer = clients.producer(producerOptions());
             GroupMember groupConsumer = new GroupMember(clients.consumer(consumerOptions()));
             Consumer<byte[], byte[]> restoreConsumer = clients.consumer(restoreOptions())) {
            producer = txProducer;
            consumer = groupConsumer.consumer;
            producer.initTransactions();
            consumer.subscribe(List.of(logic.inputTopic().name()), new Rebalance(restoreConsumer));
            try {
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    process(records);
                    if (inTransaction && (batchRecords >= config.maxBatchRecords()
                            || System.nanoTime() - batchStartNanos >= config.commitInterval().toNanos())) {
                        commit();
                    }
                    readLag();
                }
            } catch (WakeupException stopping) {
                // fall through to the final commit
            }
            if (inTransaction) {
                commit();
            }
        } finally {
            ready = false;
            inTransaction = false;
            consumer = null;
            producer = null;
        }
    }

    private void process(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
            batchStartNanos = System.nanoTime();
            batchRecords = 0;
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                logic.process(record, outputs);
            } catch (KafkaException e) {
                throw e;
            } catch (PoisonRecordException e) {
                deadLetter(record, e.getMessage());
            } catch (RuntimeException e) {
                deadLetter(record, "processing failed: " + e);
            }
            metrics.recordProcessed();
            batchRecords++;
            pending.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
    }

    private void commit() {
        Timer.Sample sample = Timer.start();
        logic.endBatch(outputs);
        producer.sendOffsetsToTransaction(Map.copyOf(pending), consumer.groupMetadata());
        producer.commitTransaction();
        sample.stop(metrics.commit());
        metrics.batch().record(System.nanoTime() - batchStartNanos, TimeUnit.NANOSECONDS);
        pending.clear();
        inTransaction = false;
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("vigil.dead-letter.reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("vigil.dead-letter.stage", logic.name().getBytes(StandardCharsets.UTF_8));
        headers.add("vigil.dead-letter.topic", record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("vigil.dead-letter.partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("vigil.dead-letter.offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        outputs.send(Topics.DEAD_LETTER, record.key(), record.value(), headers);
        LOG.log(Level.WARNING, "dead-lettered " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + reason);
    }

    private void restore(Collection<TopicPartition> partitions, Consumer<byte[], byte[]> restoreConsumer) {
        Timer.Sample sample = Timer.start();
        metrics.restoring(true);
        for (TopicPartition input : partitions) {
            int partition = input.partition();
            logic.drop(partition);
            TopicPartition changelog = new TopicPartition(logic.changelogTopic().name(), partition);
            restoreConsumer.assign(List.of(changelog));
            restoreConsumer.seekToBeginning(List.of(changelog));
            long end = restoreConsumer.endOffsets(List.of(changelog)).get(changelog);
            while (restoreConsumer.position(changelog) < end) {
                for (ConsumerRecord<byte[], byte[]> record : restoreConsumer.poll(POLL)) {
                    logic.restore(partition, record.key(), record.value());
                }
            }
            owned.add(partition);
        }
        ownedSnapshot = Set.copyOf(owned);
        restoreConsumer.unsubscribe();
        metrics.restoring(false);
        long nanos = sample.stop(metrics.restore());
        if (!partitions.isEmpty()) {
            LOG.log(Level.INFO, "aggregator stage " + logic.name() + " restored partitions " + partitions.stream()
                    .map(TopicPartition::partition).sorted().toList() + " in " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms");
        }
    }

    private void abandonState() {
        for (int partition : owned) {
            logic.drop(partition);
        }
        owned.clear();
        ownedSnapshot = Set.of();
        pending.clear();
    }

    private void readLag() {
        long now = System.nanoTime();
        if (now - lagReadAt < TimeUnit.SECONDS.toNanos(5)) {
            return;
        }
        lagReadAt = now;
        Metric lag = consumer.metrics().get(LAG);
        if (lag == null) {
            lag = consumer.metrics().entrySet().stream().filter(e -> e.getKey().name().equals(LAG.name())
                    && e.getKey().group().equals(LAG.group()) && !e.getKey().tags().containsKey("topic"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        if (lag != null && lag.metricValue() instanceof Double value && !value.isNaN()) {
            metrics.lag(value);
        }
    }

    private ClientOptions producerOptions() {
        return ClientOptions.named("vigil-aggregator-" + logic.name() + "-producer")
                .tune(ProducerConfig.LINGER_MS_CONFIG, 5)
                .tune(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024)
                .require(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "vigil-aggregator-" + logic.name() + "-" + config.instanceId())
                .require(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) config.transactionTimeout().toMillis())
                .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .require(ProducerConfig.ACKS_CONFIG, "all");
    }

    private ClientOptions consumerOptions() {
        return ClientOptions.committedReader("vigil-aggregator-" + logic.name() + "-consumer", Math.min(config.maxBatchRecords(), 2_000))
                .require(ConsumerConfig.GROUP_ID_CONFIG, "vigil-aggregator-" + logic.name())
                // A static member: an instance restarted after a crash takes its partitions back at once
                // instead of waiting out the dead member's session (GroupMember still leaves on close).
                .require(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "vigil-aggregator-" + logic.name() + "-" + config.instanceId())
                .tune(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis())
                .tune(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, config.sessionTimeout().toMillis() / 4));
    }

    private ClientOptions restoreOptions() {
        return ClientOptions.committedReader("vigil-aggregator-" + logic.name() + "-restore", 10_000);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs inside poll(), on the loop's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        private final Consumer<byte[], byte[]> restoreConsumer;

        Rebalance(Consumer<byte[], byte[]> restoreConsumer) {
            this.restoreConsumer = restoreConsumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (inTransaction) {
                commit();
            }
            for (TopicPartition partition : partitions) {
                logic.drop(partition.partition());
                owned.remove(partition.partition());
            }
            ownedSnapshot = Set.copyOf(owned);
            ready = false;
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Another instance may own them already: the open transaction cannot commit, and
            // every partition's state may hold its uncommitted work. Start over.
            throw new KafkaException("partitions " + partitions + " were lost");
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            ready = false;
            restore(partitions, restoreConsumer);
            ready = true;
        }
    }

    /** Sends into the open transaction, counting what it writes. */
    private final class TransactionOutputs implements Outputs {

        @Override
        public void send(Topic<?> topic, String key, byte[] value) {
            write(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8), value));
        }

        @Override
        public void send(Topic<?> topic, int partition, String key, byte[] value) {
            write(new ProducerRecord<>(topic.name(), partition, key.getBytes(StandardCharsets.UTF_8), value));
        }

        @Override
        public void send(Topic<?> topic, byte[] key, byte[] value, RecordHeaders headers) {
            write(new ProducerRecord<>(topic.name(), null, key, value, headers));
        }

        private void write(ProducerRecord<byte[], byte[]> record) {
            producer.send(record);
            if (record.value() != null) {
                metrics.wrote(record.topic());
            }
        }
    }

    /**
     * The group consumer, which leaves the group when closed although it is a static member, so
     * a stopped or failed instance hands its partitions over at once, as a dynamic member would.
     */
    private record GroupMember(Consumer<byte[], byte[]> consumer) implements AutoCloseable {

        @Override
        public void close() {
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }
}
