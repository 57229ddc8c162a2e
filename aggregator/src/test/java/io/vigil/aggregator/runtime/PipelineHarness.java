package io.vigil.aggregator.runtime;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.aggregator.core.ProbeDefaults;
import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.DataplaneEventSerde;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.TopicSettings;
import io.vigil.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics, an event producer and a "has the pipeline caught up" check over one broker. */
public final class PipelineHarness implements AutoCloseable {

    final String bootstrapServers;
    private final Admin admin;
    private final KafkaProducer<String, DataplaneEvent> producer;

    public PipelineHarness(String bootstrapServers) {
        this(bootstrapServers, new TopicSettings(3, (short) 1, Duration.ofDays(30), Duration.ofHours(24)));
    }

    /** Provisions the topics with {@code settings} (a no-op for the topics that exist). */
    public PipelineHarness(String bootstrapServers, TopicSettings settings) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        new TopicProvisioner(admin, settings, Duration.ofSeconds(30)).provision();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer = new KafkaProducer<>(p, new StringSerializer(), new DataplaneEventSerde());
    }

    public StageRunner stage1(String instance) {
        return stage1(StageConfig.defaults(bootstrapServers, instance));
    }

    public StageRunner stage2(String instance) {
        return stage2(StageConfig.defaults(bootstrapServers, instance));
    }

    public StageRunner stage1(StageConfig config) {
        return new StageRunner(new DataplaneStage(ProbeDefaults.KUMA), config, new SimpleMeterRegistry()).start();
    }

    public StageRunner stage2(StageConfig config) {
        return new StageRunner(new ServiceStage(), config, new SimpleMeterRegistry()).start();
    }

    public Admin admin() {
        return admin;
    }

    public void send(List<DataplaneEvent> events) {
        for (DataplaneEvent event : events) {
            producer.send(new ProducerRecord<>(Topics.DATAPLANE_EVENTS, event.getMesh() + "/" + event.getDataplane(), event));
        }
        producer.flush();
    }

    void sendRaw(String key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.DATAPLANE_EVENTS, key.getBytes(), value));
        }
    }

    /** Whether both stages have committed everything that is in their input topics now. */
    public boolean caughtUp() throws Exception {
        return committedToEnd("vigil-aggregator-dataplanes", Topics.DATAPLANE_EVENTS)
                && committedToEnd("vigil-aggregator-services", Topics.SERVICE_MEMBERSHIP);
    }

    /**
     * Whether a group has no committed record left to read in {@code topic}. Counting beats
     * comparing offsets: transaction markers take offsets that no consumer ever commits past.
     */
    private boolean committedToEnd(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
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
