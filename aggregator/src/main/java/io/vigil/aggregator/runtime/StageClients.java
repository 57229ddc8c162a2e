package io.vigil.aggregator.runtime;

import io.vigil.schemas.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Makes the Kafka clients of one {@link StageRunner} session (from joining the group to a failure
 * or to close). Each method is called once per session, on the runner's loop thread; the runner
 * owns what it gets and closes it when the session ends. Production uses {@link #kafka}; tests
 * pass {@code MockProducer} and {@code MockConsumer}s.
 */
public interface StageClients {

    /** The producer that writes a batch's outputs, changelog records and input offsets in one transaction. */
    Producer<byte[], byte[]> transactionalProducer();

    /** The consumer of the stage's input, a member of the stage's group. */
    Consumer<byte[], byte[]> groupConsumer();

    /** A consumer without a group, which reads changelog partitions to restore their state. */
    Consumer<byte[], byte[]> restoreConsumer();

    /** Asks the cluster where changelogs end and how large a record topics take. */
    StageAdmin admin();

    /** Clients built by {@code clients} for the stage {@code stageName}, configured by {@code config}. */
    static StageClients kafka(KafkaClients clients, String stageName, StageConfig config) {
        return new KafkaStageClients(clients, stageName, config);
    }
}
