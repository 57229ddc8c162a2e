package io.vigil.aggregator.runtime;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where changelog partitions end as written: the high watermark, which counts the records of
 * transactions whose commit markers are not on the partition yet. A restore reads
 * {@code read_committed} until its position reaches this end, that is until those markers land.
 * Ending at the last stable offset instead would race the markers: the group's offsets may
 * already count a transaction (its marker reached {@code __consumer_offsets} first) whose
 * changelog records are not yet readable, and the stage would go on from state one batch behind
 * its input.
 *
 * <p>One per client session, used only by the runner's loop thread; the runner closes it with the
 * session's other clients.
 */
public interface ChangelogEnds extends AutoCloseable {

    /**
     * The high watermark of each partition; blocks until the partitions' leaders answer.
     *
     * @throws org.apache.kafka.common.KafkaException if they do not answer in time
     */
    Map<TopicPartition, Long> of(Collection<TopicPartition> changelogs);

    @Override
    void close();
}
