package io.vigil.bench;

import io.vigil.aggregator.runtime.Outputs;
import io.vigil.aggregator.runtime.StageConfig;
import io.vigil.aggregator.runtime.StageLogic;
import io.vigil.schemas.Topic;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;

/**
 * Builds what a stage leaves in Kafka after folding its whole input, faster than a running stage:
 * reads the input topic from the start to its present end with one plain consumer, folds it with
 * the stage's own {@link StageLogic}, ending a batch every {@link StageConfig#maxBatchRecords}
 * records as the stage's runner ends one per transaction at most, and writes what the logic sends
 * (changes, membership updates, changelog) with one idempotent producer and no transactions. Then
 * it commits the stage's group at the input's end, so a stage started afterwards restores the
 * changelog and finds nothing left to read. For building the input of a restore at a size the
 * running stages would take many minutes to fold; it measures nothing itself.
 */
final class BulkStageLoad {

    private static final StageConfig STAGE = StageConfig.defaults("bulk");

    private BulkStageLoad() {
    }

    /** Folds the stage's whole input and commits its group; returns once Kafka has every output. */
    static void run(KafkaClients clients, Admin admin, StageLogic logic) throws InterruptedException, ExecutionException {
        String input = logic.inputTopic().name();
        try (Consumer<byte[], byte[]> consumer = clients.consumer(ClientOptions.committedReader("bench-bulk-" + logic.name(), 10_000));
             Producer<byte[], byte[]> producer = clients.producer(ClientOptions.named("bench-bulk-" + logic.name())
                     .require(ProducerConfig.ACKS_CONFIG, "all")
                     .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                     .tune(ProducerConfig.LINGER_MS_CONFIG, 20)
                     .tune(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024))) {
            List<TopicPartition> partitions = consumer.partitionsFor(input).stream().map(p -> new TopicPartition(input, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Outputs out = new ProducerOutputs(producer);
            int inBatch = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    logic.process(record, out);
                    if (++inBatch == STAGE.maxBatchRecords()) {
                        logic.endBatch(out);
                        inBatch = 0;
                    }
                }
            }
            logic.endBatch(out);
            producer.flush();
            Map<TopicPartition, OffsetAndMetadata> committed = end.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
            // The group id every aggregator instance of this stage joins.
            admin.alterConsumerGroupOffsets("vigil-aggregator-" + logic.name(), committed).all().get();
        }
    }

    /** Sends as the stage's runner does, framed in the stage's wire format, but outside any transaction. */
    private record ProducerOutputs(Producer<byte[], byte[]> producer) implements Outputs {

        @Override
        public void send(Topic<?> topic, String key, byte[] value) {
            producer.send(new ProducerRecord<>(topic.name(), bytes(key), framed(topic, value)));
        }

        @Override
        public void send(Topic<?> topic, int partition, String key, byte[] value) {
            producer.send(new ProducerRecord<>(topic.name(), partition, bytes(key), framed(topic, value)));
        }

        @Override
        public void send(Topic<?> topic, String key, String partitionKey, byte[] value) {
            int partitions = producer.partitionsFor(topic.name()).size();
            send(topic, Utils.toPositive(Utils.murmur2(bytes(partitionKey))) % partitions, key, value);
        }

        @Override
        public void send(Topic<?> topic, String key, byte[] value, Headers headers) {
            producer.send(new ProducerRecord<>(topic.name(), null, bytes(key), framed(topic, value), headers));
        }

        private static byte[] framed(Topic<?> topic, byte[] value) {
            return STAGE.wireFormat().value(topic, value);
        }

        private static byte[] bytes(String key) {
            return key.getBytes(StandardCharsets.UTF_8);
        }
    }
}
