package io.vigil.schemas.kafka;

import io.vigil.schemas.kafka.KafkaSettings.ClientKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one place where vigil builds Kafka clients: every producer, consumer and admin client of
 * every role, command, benchmark and test comes from here, configured from one
 * {@link KafkaSettings} (so TLS, SASL, timeouts and any other client property reach them all)
 * and the client's own {@link ClientOptions}.
 *
 * <p>A client's configuration is, in rising precedence: its tuning, the operator's settings (for
 * its kind), its required properties. The identity properties {@code client.id}, {@code group.id},
 * {@code group.instance.id} and {@code transactional.id} never come from the settings: vigil names
 * each client itself, and a shared group or transactional id would make clients fence or rebalance
 * one another.
 *
 * <p>Thread-safe and stateless apart from the settings; the caller owns and closes each client.
 */
public final class KafkaClients {

    private static final Set<String> IDENTITY = Set.of(CommonClientConfigs.CLIENT_ID_CONFIG, CommonClientConfigs.GROUP_ID_CONFIG,
            CommonClientConfigs.GROUP_INSTANCE_ID_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    private final KafkaSettings settings;

    public KafkaClients(KafkaSettings settings) {
        this.settings = settings;
    }

    public KafkaSettings settings() {
        return settings;
    }

    public <K, V> Producer<K, V> producer(ClientOptions options, Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(config(ClientKind.PRODUCER, options), keys, values);
    }

    /** A producer of raw bytes (the aggregator's stages, which encode records themselves). */
    public Producer<byte[], byte[]> producer(ClientOptions options) {
        return producer(options, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public <K, V> Consumer<K, V> consumer(ClientOptions options, Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(config(ClientKind.CONSUMER, options), keys, values);
    }

    /** A consumer of raw bytes; records are decoded by the caller, so a poison record cannot fail the poll. */
    public Consumer<byte[], byte[]> consumer(ClientOptions options) {
        return consumer(options, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public Admin admin(ClientOptions options) {
        return Admin.create(config(ClientKind.ADMIN, options));
    }

    /** The configuration a client of {@code kind} with {@code options} gets. */
    public Map<String, Object> config(ClientKind kind, ClientOptions options) {
        Map<String, Object> config = new HashMap<>(options.tuning());
        settings.forClient(kind).forEach((name, value) -> {
            if (!IDENTITY.contains(name)) {
                config.put(name, value);
            }
        });
        config.putAll(options.required());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, options.clientId());
        if (kind == ClientKind.CONSUMER && !config.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
            // A consumer without a group assigns its partitions itself and must not commit.
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        }
        return config;
    }
}
