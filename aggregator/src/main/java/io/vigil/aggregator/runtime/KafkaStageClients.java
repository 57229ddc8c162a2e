package io.vigil.aggregator.runtime;

import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * A stage's clients from {@link KafkaClients}: a transactional producer named after the stage and
 * the instance, a static member of the stage's group, a {@code read_committed} restore reader, and
 * an admin client.
 */
final class KafkaStageClients implements StageClients {

    private final KafkaClients clients;
    private final String stage;
    private final StageConfig config;

    KafkaStageClients(KafkaClients clients, String stage, StageConfig config) {
        this.clients = clients;
        this.stage = stage;
        this.config = config;
    }

    @Override
    public Producer<byte[], byte[]> transactionalProducer() {
        return clients.producer(producerOptions());
    }

    @Override
    public Consumer<byte[], byte[]> groupConsumer() {
        return clients.consumer(consumerOptions());
    }

    @Override
    public Consumer<byte[], byte[]> restoreConsumer() {
        return clients.consumer(restoreOptions());
    }

    @Override
    public StageAdmin admin() {
        return new KafkaStageAdmin(clients.admin(ClientOptions.named("vigil-aggregator-" + stage + "-admin")));
    }

    /** The consumer group of a stage's instances. */
    static String groupId(String stage) {
        return "vigil-aggregator-" + stage;
    }

    ClientOptions producerOptions() {
        return ClientOptions.named("vigil-aggregator-" + stage + "-producer")
                .tune(ProducerConfig.LINGER_MS_CONFIG, 5)
                .tune(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024)
                .require(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "vigil-aggregator-" + stage + "-" + config.instanceId())
                .require(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) config.transactionTimeout().toMillis())
                .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .require(ProducerConfig.ACKS_CONFIG, "all");
    }

    ClientOptions consumerOptions() {
        return ClientOptions.committedReader("vigil-aggregator-" + stage + "-consumer", Math.min(config.maxBatchRecords(), 2_000))
                .require(ConsumerConfig.GROUP_ID_CONFIG, groupId(stage))
                // A static member: an instance restarted after a crash takes its partitions back at once
                // instead of waiting out the dead member's session (the runner still leaves on close).
                .require(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "vigil-aggregator-" + stage + "-" + config.instanceId())
                .tune(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis())
                .tune(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, config.sessionTimeout().toMillis() / 4));
    }

    ClientOptions restoreOptions() {
        return ClientOptions.committedReader("vigil-aggregator-" + stage + "-restore", 10_000);
    }
}
