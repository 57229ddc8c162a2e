package io.vigil.aggregator.runtime;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What a stage asks of the cluster besides reading and writing: where its changelog partitions
 * end, and how large a record its output topics take.
 *
 * <p>One per client session, used only by the runner's loop thread; the runner closes it with the
 * session's other clients. Every method blocks until the brokers answer.
 */
public interface StageAdmin extends AutoCloseable {

    /**
     * Where the changelog partitions end as written: the high watermark, which counts the records
     * of transactions whose commit markers are not on the partition yet. A restore reads
     * {@code read_committed} until its position reaches this end, that is until those markers
     * land. Ending at the last stable offset instead would race the markers: the group's offsets
     * may already count a transaction (its marker reached {@code __consumer_offsets} first) whose
     * changelog records are not yet readable, and the stage would go on from state one batch
     * behind its input.
     *
     * @throws org.apache.kafka.common.KafkaException if the partitions' leaders do not answer in time
     */
    Map<TopicPartition, Long> highWatermarks(Collection<TopicPartition> changelogs);

    /**
     * Each topic's {@code max.message.bytes} as the brokers apply it (the topic's own, else the
     * cluster's default): a record batch larger than this is refused.
     *
     * @throws org.apache.kafka.common.KafkaException if the brokers do not answer in time
     */
    Map<String, Integer> maxMessageBytes(Collection<String> topics);

    @Override
    void close();
}
