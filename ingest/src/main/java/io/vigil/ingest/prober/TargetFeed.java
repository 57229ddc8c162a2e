package io.vigil.ingest.prober;

import io.vigil.aggregator.core.Event;
import io.vigil.aggregator.records.EventRecords;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Keeps {@link ProbeTargets} up to date from the event log. Joins consumer group
 * {@code vigil-prober}, so the partitions (and with them the dataplanes to probe) are spread
 * over the prober instances. On assignment a partition is re-read from its beginning (targets live
 * only in memory, and a dataplane's last upsert may be anywhere in the retained log); its targets
 * are probed once the read reaches the end offset seen at assignment. On revocation or loss its
 * targets are dropped. No offsets are committed: every assignment re-reads.
 *
 * <p>Threading: the consumer runs on one thread of its own, started by {@link #start}; {@link #close}
 * may be called from any thread and waits for it to stop.
 */
public final class TargetFeed implements AutoCloseable {

    /** The consumer group that spreads dataplanes over prober instances. */
    public static final String GROUP = "vigil-prober";

    private static final Logger LOG = Logger.getLogger(TargetFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final ProbeTargets targets;
    private final EventRecords records;
    private final Consumer<byte[], byte[]> consumer;
    /** Owned by the consumer thread: where each restoring partition ended when it was assigned. */
    private final Map<TopicPartition, Long> restoreEnds = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public TargetFeed(KafkaClients clients, ProbeTargets targets, EventRecords records) {
        this.targets = targets;
        this.records = records;
        this.consumer = clients.consumer(ClientOptions.named("vigil-prober")
                .require(ConsumerConfig.GROUP_ID_CONFIG, GROUP)
                .require(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .tune(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .tune(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000));
        this.thread = new Thread(this::run, "vigil-prober-targets");
        thread.setDaemon(true);
    }

    public TargetFeed start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.DATAPLANE_EVENTS.name()), new Rebalance());
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                finishRestores();
            }
        } catch (WakeupException closing) {
            // close() woke the poll: leave the loop.
        } catch (RuntimeException e) {
            LOG.error("the prober's event-log consumer stopped; no new targets are learned", e);
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        Event event;
        try {
            DataplaneEvent decoded = Topics.DATAPLANE_EVENTS.deserialize(record.value());
            event = records.toEvent(decoded, null);
        } catch (RuntimeException poison) {
            // Undecodable or invalid: the aggregator dead-letters such records; for the prober they name no target.
            LOG.debugf("prober skips record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), poison.getMessage());
            return;
        }
        targets.apply(event, record.partition());
    }

    private void finishRestores() {
        restoreEnds.entrySet().removeIf(entry -> {
            if (consumer.position(entry.getKey()) >= entry.getValue()) {
                targets.restored(entry.getKey().partition());
                LOG.debugf("prober restored the targets of %s", entry.getKey());
                return true;
            }
            return false;
        });
    }

    /** Stops the consumer and waits for its thread; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs inside poll(), on the consumer thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            for (TopicPartition partition : partitions) {
                targets.restoring(partition.partition());
            }
            consumer.seekToBeginning(partitions);
            restoreEnds.putAll(consumer.endOffsets(partitions));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                restoreEnds.remove(partition);
                targets.drop(partition.partition());
            }
        }
    }
}
