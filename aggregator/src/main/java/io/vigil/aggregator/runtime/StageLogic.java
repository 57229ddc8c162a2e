package io.vigil.aggregator.runtime;

import io.vigil.schemas.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What one aggregator stage does with its input, apart from Kafka plumbing: {@link StageRunner}
 * calls these from its one thread, inside a transaction, per partition it owns.
 */
public interface StageLogic {

    /** Short name, for group and transactional ids, threads and metrics: {@code dataplanes}, {@code services}. */
    String name();

    Topic<?> inputTopic();

    /** The compacted changelog, co-partitioned with the input. */
    Topic<?> changelogTopic();

    /** Applies one changelog record (null value: forgotten) while restoring {@code partition}. */
    void restore(int partition, byte[] key, byte[] value);

    /** Forgets a partition's state (revoked, or to be restored again). */
    void drop(int partition);

    /**
     * Folds one input record and sends what it causes.
     *
     * @throws PoisonRecordException when the record cannot be used; the runner dead-letters it
     */
    void process(ConsumerRecord<byte[], byte[]> record, Outputs out);

    /** Ends the transaction's batch: sends what is coalesced per batch and the changelog writes of every key that changed. */
    void endBatch(Outputs out);
}
