package io.vigil.schemas.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where vigil's Kafka is and how to reach it: {@code bootstrap.servers} and any other Kafka client
 * property ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}, timeouts, compression...),
 * passed through unchanged to every client {@link KafkaClients} builds. A property prefixed
 * {@code producer.}, {@code consumer.} or {@code admin.} reaches only that kind of client and wins
 * over the unprefixed one, as in Kafka Streams' configuration.
 *
 * <p>{@link #toString()} masks every value whose name looks secret (passwords, JAAS configs, keys),
 * so settings can be logged. Immutable and thread-safe.
 */
public final class KafkaSettings {

    /** The kinds of client, each with the prefix of its own properties. */
    public enum ClientKind {
        PRODUCER("producer."), CONSUMER("consumer."), ADMIN("admin.");

        private final String prefix;

        ClientKind(String prefix) {
            this.prefix = prefix;
        }
    }

    private static final Pattern SECRET = Pattern.compile(".*(password|secret|jaas|credential|token|\\.key$|keystore\\.key|private).*");

    private final Map<String, String> properties;

    private KafkaSettings(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
        String bootstrap = this.properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("Kafka settings need bootstrap.servers");
        }
    }

    /** Only a bootstrap address: a plaintext broker such as the embedded one. */
    public static KafkaSettings of(String bootstrapServers) {
        return of(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers, "bootstrapServers")));
    }

    /**
     * Client properties as they come (a {@code client.properties} file, Quarkus' {@code kafka.*}
     * configuration); values are kept as their text.
     *
     * @throws IllegalArgumentException without {@code bootstrap.servers}
     */
    public static KafkaSettings of(Map<String, ?> properties) {
        Map<String, String> text = new TreeMap<>();
        properties.forEach((name, value) -> {
            if (value != null) {
                text.put(name, value.toString());
            }
        });
        return new KafkaSettings(text);
    }

    public String bootstrapServers() {
        return properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** Every property as given, prefixed ones included. */
    public Map<String, String> properties() {
        return properties;
    }

    /** The properties that reach a client of {@code kind}: the unprefixed ones, overridden by the kind's own. */
    public Map<String, Object> forClient(ClientKind kind) {
        Map<String, Object> result = new TreeMap<>();
        properties.forEach((name, value) -> {
            if (!isPrefixed(name)) {
                result.put(name, value);
            }
        });
        properties.forEach((name, value) -> {
            if (name.startsWith(kind.prefix)) {
                result.put(name.substring(kind.prefix.length()), value);
            }
        });
        return result;
    }

    private static boolean isPrefixed(String name) {
        for (ClientKind kind : ClientKind.values()) {
            if (name.startsWith(kind.prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a property's value must never be logged. */
    private static boolean isSecret(String name) {
        return SECRET.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KafkaSettings that && properties.equals(that.properties);
    }

    @Override
    public int hashCode() {
        return properties.hashCode();
    }

    /** The properties with secret values masked. */
    @Override
    public String toString() {
        return new TreeMap<>(properties).entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "[hidden]" : e.getValue()))
                .collect(Collectors.joining(", ", "KafkaSettings{", "}"));
    }
}
