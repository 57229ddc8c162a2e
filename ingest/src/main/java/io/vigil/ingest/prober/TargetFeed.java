package io.vigil.ingest.prober;

import io.vigil.avro.CurrentDataplaneSpec;
import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Keeps {@link ProbeTargets} up to date from {@code vigil.dataplane-specs}, the compacted topic on
 * which aggregator stage 1 publishes every dataplane's current spec ({@code read_committed}: only
 * what stage 1 committed). Joins consumer group {@code vigil-prober}, so the partitions (and with
 * them the dataplanes to probe) are spread over the prober instances. On assignment a partition is
 * re-read from its beginning: targets live only in memory, and the topic holds about one record
 * per dataplane, so this costs the size of the fleet, not the history of the event log. Its
 * targets are probed once the read reaches the end offset seen at assignment. On revocation or
 * loss its targets are dropped. No offsets are committed: every assignment re-reads.
 *
 * <p>Threading: the consumer runs on one thread of its own, started by {@link #start}; {@link #close},
 * {@link #caughtUp} and {@link #partitions} may be called from any thread.
 */
public final class TargetFeed implements AutoCloseable {

    /** The consumer group that spreads dataplanes over prober instances. */
    public static final String GROUP = "vigil-prober";

    private static final Logger LOG = Logger.getLogger(TargetFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final ProbeTargets targets;
    private final Consumer<byte[], byte[]> consumer;
    /** Owned by the consumer thread: where each restoring partition ended when it was assigned. */
    private final Map<TopicPartition, Long> restoreEnds = new HashMap<>();
    /** Owned by the consumer thread: the partitions assigned now. */
    private final Set<Integer> assigned = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile Set<Integer> partitions = Set.of();

    public TargetFeed(KafkaClients clients, ProbeTargets targets) {
        this.targets = targets;
        this.consumer = clients.consumer(ClientOptions.committedReader("vigil-prober", 5_000)
                .require(ConsumerConfig.GROUP_ID_CONFIG, GROUP));
        this.thread = new Thread(this::run, "vigil-prober-targets");
        thread.setDaemon(true);
    }

    public TargetFeed start() {
        thread.start();
        return this;
    }

    /**
     * Whether the feed has been given its partitions and has read each of them up to where it
     * ended at assignment: from then on its targets are those of the current specs.
     */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** The partitions of the spec topic this prober is assigned now. */
    public Set<Integer> partitions() {
        return partitions;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.DATAPLANE_SPECS.name()), new Rebalance());
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                finishRestores();
            }
        } catch (WakeupException closing) {
            // close() woke the poll: leave the loop.
        } catch (RuntimeException e) {
            LOG.error("the prober's spec consumer stopped; no new targets are learned", e);
        } finally {
            caughtUp = false;
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        DataplaneKey key;
        CurrentDataplaneSpec spec;
        try {
            key = DataplaneKey.parse(new String(record.key(), StandardCharsets.UTF_8));
            spec = Topics.DATAPLANE_SPECS.deserialize(record.value());
        } catch (RuntimeException poison) {
            // Only stage 1 writes this topic; a record it cannot have written names no target.
            LOG.debugf("prober skips record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), poison.getMessage());
            return;
        }
        targets.apply(key, spec, record.partition());
    }

    private void finishRestores() {
        if (restoreEnds.isEmpty()) {
            return;
        }
        restoreEnds.entrySet().removeIf(entry -> {
            if (consumer.position(entry.getKey()) >= entry.getValue()) {
                targets.restored(entry.getKey().partition());
                LOG.debugf("prober restored the targets of %s", entry.getKey());
                return true;
            }
            return false;
        });
        if (restoreEnds.isEmpty()) {
            caughtUp = true;
            LOG.infof("prober caught up with partitions %s of %s: %d targets", partitions, Topics.DATAPLANE_SPECS, targets.size());
        }
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
        public void onPartitionsAssigned(Collection<TopicPartition> assignment) {
            for (TopicPartition partition : assignment) {
                targets.restoring(partition.partition());
                assigned.add(partition.partition());
            }
            partitions = Set.copyOf(assigned);
            if (!assignment.isEmpty()) {
                consumer.seekToBeginning(assignment);
                restoreEnds.putAll(consumer.endOffsets(assignment));
            }
            caughtUp = restoreEnds.isEmpty();
            finishRestores();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            forget(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
        }

        private void forget(Collection<TopicPartition> gone) {
            for (TopicPartition partition : gone) {
                restoreEnds.remove(partition);
                assigned.remove(partition.partition());
                targets.drop(partition.partition());
            }
            partitions = Set.copyOf(assigned);
        }
    }
}
