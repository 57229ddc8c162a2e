package io.vigil.aggregator.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Restores input partitions' state from their changelog partitions (same number), one chunk per
 * {@link #restoreSome} call, so that the {@link StageRunner} can poll its group consumer between
 * chunks and stay a live member. The rebalance callback only {@linkplain #add records} a partition;
 * its state is dropped and the changelog read when the restore starts, outside the callback.
 *
 * <p>A partition's restore ends when the {@code read_committed} restore consumer's position reaches
 * the partition's {@linkplain StageAdmin#highWatermarks high watermark}: past the markers of every transaction
 * written before the restore began, so past every transaction the group's offsets count. A
 * transaction left open by an instance that died holds the restore back until the transaction
 * times out, as it holds back every {@code read_committed} reader.
 *
 * <p>One per client session, around the session's restore consumer; used only by the runner's
 * loop thread.
 */
final class ChangelogRestore {

    private final StageLogic logic;
    private final Consumer<byte[], byte[]> consumer;
    private final StageAdmin admin;
    private final Duration poll;
    /** Recorded by the assignment callback, not started yet. */
    private final Set<Integer> waiting = new TreeSet<>();
    /** Being restored: changelog partition and the end offset it must reach. */
    private final Map<TopicPartition, Long> ends = new HashMap<>();

    ChangelogRestore(StageLogic logic, Consumer<byte[], byte[]> consumer, StageAdmin admin, Duration poll) {
        this.logic = logic;
        this.consumer = consumer;
        this.admin = admin;
        this.poll = poll;
    }

    /** Records a newly assigned partition, to be restored from the beginning of its changelog. */
    void add(int partition) {
        ends.remove(changelog(partition));
        waiting.add(partition);
    }

    /** Forgets a partition that was revoked before its restore ended. */
    void remove(int partition) {
        waiting.remove(partition);
        ends.remove(changelog(partition));
    }

    /** Whether nothing is waiting or being restored. */
    boolean idle() {
        return waiting.isEmpty() && ends.isEmpty();
    }

    /** The partitions waiting or being restored. */
    Set<Integer> partitions() {
        Set<Integer> partitions = new TreeSet<>(waiting);
        ends.keySet().forEach(changelog -> partitions.add(changelog.partition()));
        return partitions;
    }

    /**
     * Starts the recorded partitions (dropping their state, reading their changelog's end),
     * applies one poll's worth of changelog records and returns the partitions whose restore ended
     * with it. Releases the restore consumer's partitions once nothing is left.
     */
    List<Integer> restoreSome() {
        if (!waiting.isEmpty()) {
            List<TopicPartition> starting = waiting.stream().map(this::changelog).toList();
            waiting.forEach(logic::drop);
            waiting.clear();
            ends.putAll(admin.highWatermarks(starting));
            consumer.assign(Set.copyOf(ends.keySet()));
            consumer.seekToBeginning(starting);
        } else if (!consumer.assignment().equals(ends.keySet())) {
            consumer.assign(Set.copyOf(ends.keySet())); // a partition was revoked while it restored
        }
        List<Integer> done = finished();
        if (!ends.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(poll)) {
                if (ends.containsKey(new TopicPartition(record.topic(), record.partition()))) {
                    logic.restore(record.partition(), record.key(), record.value());
                }
            }
            done.addAll(finished());
        }
        if (ends.isEmpty()) {
            consumer.unsubscribe();
        }
        return done;
    }

    /** Removes and returns the partitions that have reached their end offset. */
    private List<Integer> finished() {
        List<Integer> done = new ArrayList<>();
        for (Iterator<Map.Entry<TopicPartition, Long>> it = ends.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, Long> entry = it.next();
            if (consumer.position(entry.getKey()) >= entry.getValue()) {
                done.add(entry.getKey().partition());
                it.remove();
            }
        }
        return done;
    }

    private TopicPartition changelog(int partition) {
        return new TopicPartition(logic.changelogTopic().name(), partition);
    }
}
