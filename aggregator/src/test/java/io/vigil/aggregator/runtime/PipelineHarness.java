package io.vigil.aggregator.runtime;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.TopicSettings;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics, an event producer and a "has the pipeline caught up" check over one broker. */
public final class PipelineHarness implements AutoCloseable {

    private final KafkaClients clients;
    private final Admin admin;
    private final Producer<String, DataplaneEvent> producer;

    public PipelineHarness(String bootstrapServers) {
        this(bootstrapServers, new TopicSettings(3, (short) 1, Duration.ofDays(30), Duration.ofHours(24)));
    }

    /** Provisions the topics with {@code settings} (a no-op for the topics that exist). */
    public PipelineHarness(String bootstrapServers, TopicSettings settings) {
        this(KafkaSettings.of(bootstrapServers), settings);
    }

    /** The same with any client settings (TLS, SASL, tuning) for every client of the harness and its stages. */
    public PipelineHarness(KafkaSettings kafka, TopicSettings settings) {
        this.clients = new KafkaClients(kafka);
        this.admin = clients.admin(ClientOptions.named("pipeline-harness-admin"));
        new TopicProvisioner(admin, settings, Duration.ofSeconds(30)).provision();
        // One request in flight per broker: on a topic just created, a first batch that meets
        // NOT_LEADER_OR_FOLLOWER is retried before the next is sent, instead of being overtaken by
        // it and then refused as out of order for ever, which would leave a hole in the event log.
        producer = clients.producer(ClientOptions.named("pipeline-harness")
                .require(ProducerConfig.ACKS_CONFIG, "all")
                .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .require(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1)
                .tune(ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), Topics.DATAPLANE_EVENTS.serde().serializer());
    }

    public StageRunner stage1(String instance) {
        return stage1(StageConfig.defaults(instance));
    }

    public StageRunner stage2(String instance) {
        return stage2(StageConfig.defaults(instance));
    }

    public StageRunner stage1(StageConfig config) {
        return new StageRunner(new DataplaneStage(ProbeDefaults.KUMA), config, clients, new SimpleMeterRegistry()).start();
    }

    public StageRunner stage2(StageConfig config) {
        return new StageRunner(new ServiceStage(), config, clients, new SimpleMeterRegistry()).start();
    }

    public KafkaClients clients() {
        return clients;
    }

    public Admin admin() {
        return admin;
    }

    /** Appends the events to the event log and returns once Kafka acknowledged every one. @throws IllegalStateException when one failed */
    public void send(List<DataplaneEvent> events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (DataplaneEvent event : events) {
            acks.add(producer.send(new ProducerRecord<>(Topics.DATAPLANE_EVENTS.name(), KeyFormat.of(event.getMesh(), event.getDataplane()),
                    event)));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("an event did not reach the event log", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending events", e);
            }
        }
    }

    void sendRaw(String key, byte[] value) {
        try (Producer<byte[], byte[]> raw = clients.producer(ClientOptions.named("pipeline-harness-raw"))) {
            raw.send(new ProducerRecord<>(Topics.DATAPLANE_EVENTS.name(), key.getBytes(), value));
        }
    }

    /** Whether both stages have committed everything that is in their input topics now. */
    public boolean caughtUp() throws Exception {
        return committedToEnd("vigil-aggregator-dataplanes", Topics.DATAPLANE_EVENTS.name())
                && committedToEnd("vigil-aggregator-services", Topics.SERVICE_MEMBERSHIP.name());
    }

    /**
     * Whether a group has no committed record left to read in {@code topic}. Counting beats
     * comparing offsets: transaction markers take offsets that no consumer ever commits past.
     */
    public boolean committedToEnd(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        try (Consumer<byte[], byte[]> consumer = clients.consumer(ClientOptions.committedReader("pipeline-harness-reader", 500))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.assign(partitions);
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata at = committed.get(partition);
                if (at == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, at.offset());
                }
            }
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
