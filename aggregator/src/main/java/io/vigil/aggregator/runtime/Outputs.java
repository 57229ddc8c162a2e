package io.vigil.aggregator.runtime;

import org.apache.kafka.common.header.internals.RecordHeaders;

/** Where a stage writes inside the open transaction. Called only from the stage's thread. */
public interface Outputs {

    /** A record to a topic, partitioned by its key. */
    void send(String topic, String key, byte[] value);

    /** A record to one partition (state changelogs, which mirror their input's partitions). */
    void send(String topic, int partition, String key, byte[] value);

    /** A record with headers (dead letters). */
    void send(String topic, byte[] key, byte[] value, RecordHeaders headers);
}
