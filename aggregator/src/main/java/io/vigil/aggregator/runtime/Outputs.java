package io.vigil.aggregator.runtime;

import io.vigil.schemas.Topic;

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
}
