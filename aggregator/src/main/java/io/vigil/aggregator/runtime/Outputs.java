package io.vigil.aggregator.runtime;

import io.vigil.aggregator.core.HealthChange;
import io.vigil.aggregator.core.Source;
import io.vigil.aggregator.records.CloudEventHeaders;
import io.vigil.schemas.Topic;
import org.apache.kafka.common.header.Headers;

/** Where a stage writes inside the open transaction. Called only from the stage's thread. */
public interface Outputs {

    /** A record to a topic, partitioned by its key. */
    void send(Topic<?> topic, String key, byte[] value);

    /** A record to one partition (state changelogs, which mirror their input's partitions). */
    void send(Topic<?> topic, int partition, String key, byte[] value);

    /**
     * A record to the partition that Kafka's default partitioner gives {@code partitionKey} (not
     * {@code key}): the parts of an entity go where the entity's own records go.
     */
    void send(Topic<?> topic, String key, String partitionKey, byte[] value);

    /** A record with headers, partitioned by its key. */
    void send(Topic<?> topic, String key, byte[] value, Headers headers);

    /**
     * A change record with its {@link CloudEventHeaders}; for a tombstone change, then the Kafka
     * tombstone that lets compaction drop the key.
     */
    default void sendChange(Topic<?> topic, HealthChange change, byte[] value) {
        send(topic, change.entityKey(), value, CloudEventHeaders.of(change));
        if (change.isTombstone()) {
            send(topic, change.entityKey(), null);
        }
    }

    /**
     * Says that the record in process carries the consequences of the event read at {@code cause}:
     * a change with that cause sent when the batch ends continues the record's trace. Stages that
     * send their changes while processing need not call it.
     */
    default void continues(Source cause) {
    }
}
