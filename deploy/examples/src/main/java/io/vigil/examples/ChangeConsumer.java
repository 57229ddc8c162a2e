package io.vigil.examples;

import io.vigil.schemas.AvroSerde;
import io.vigil.schemas.Topic;
import io.vigil.schemas.registry.SchemaRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What every example does with Kafka: a consumer in a group of its own reads one vigil topic with
 * {@code read_committed} (each stage commits its changes in transactions; without it a reader
 * also sees changes of transactions that were aborted and redone), string keys and the topic's
 * Avro values from the {@code vigil-schemas} jar, which decodes every schema version vigil has
 * written. Offsets are committed after each poll's records are handled: at least once, so a
 * handler sees a change again after a restart and tells by its version.
 *
 * <p>Threading: {@link #forEach} runs on the caller's thread until {@link #stop} is called from
 * any other thread (the examples' shutdown hook does, on Ctrl-C).
 *
 * @param <V> the topic's value type
 */
public final class ChangeConsumer<V> implements AutoCloseable {

    private final Topic<V> topic;
    private final KafkaConsumer<String, V> consumer;

    public ChangeConsumer(ExampleArgs args, Topic<V> topic) {
        this.topic = topic;
        Properties config = new Properties();
        config.putAll(args.kafkaConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, args.group().orElse("vigil-example-" + topic.name()));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Registry mode: the serde looks up the schema id in each value's header there (process-wide, set before the consumer reads).
        args.schemaRegistry().ifPresent(url -> AvroSerde.readRegistryFramesFrom(SchemaRegistry.at(url)));
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), topic.serde().deserializer());
    }

    /**
     * Hands every record's key and value to {@code handler}, in order per partition (and so per
     * key), until {@link #stop}. A value is null for a Kafka tombstone, which vigil writes after a
     * removal so that compaction can drop the key.
     */
    public void forEach(BiConsumer<String, V> handler) {
        consumer.subscribe(List.of(topic.name()));
        try {
            while (true) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofSeconds(1))) {
                    handler.accept(record.key(), record.value());
                }
                consumer.commitSync();
            }
        } catch (WakeupException stopped) {
            // stop() was called: leave the loop, the caller closes.
        }
    }

    /** Makes {@link #forEach} return; any thread. */
    public void stop() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }

    /** Runs {@code handler} over the topic until Ctrl-C. */
    static <V> void runUntilInterrupted(String[] args, Topic<V> topic, BiConsumer<String, V> handler) {
        try (ChangeConsumer<V> changes = new ChangeConsumer<>(ExampleArgs.parse(args), topic)) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                changes.stop();
                try {
                    main.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            changes.forEach(handler);
        }
    }

    /** Loads a Kafka client properties file (TLS, SASL), as {@code --kafka-config} names it. */
    static Properties load(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kafka client properties " + file, e);
        }
        return properties;
    }
}
