package io.vigil.examples;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The examples' command line: {@code [--bootstrap-server HOST:PORT] [--group ID] [--kafka-config FILE] [--schema-registry URL]}.
 *
 * @param bootstrapServers the Kafka to read, by default the embedded broker of {@code ./vigil serve}
 * @param group            the consumer group; by default one per example and topic
 * @param kafkaConfig      more client properties (TLS, SASL), e.g. the {@code client.properties}
 *                         that {@code ./vigil kafka --secure} writes
 * @param schemaRegistry   the Confluent-compatible API of the registry vigil runs with in registry
 *                         mode ({@code vigil serve --schema-registry}), to read its schema ids
 */
public record ExampleArgs(String bootstrapServers, Optional<String> group, Properties kafkaConfig, Optional<String> schemaRegistry) {

    private static final String USAGE = "usage: [--bootstrap-server HOST:PORT] [--group ID] [--kafka-config FILE] [--schema-registry URL]";

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    /** @throws IllegalArgumentException naming the option that is unknown or lacks its value */
    public static ExampleArgs parse(String... args) {
        String bootstrap = DEFAULT_BOOTSTRAP;
        Optional<String> group = Optional.empty();
        Properties config = new Properties();
        Optional<String> schemaRegistry = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value; " + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--bootstrap-server" -> bootstrap = value;
                case "--group" -> group = Optional.of(value);
                case "--kafka-config" -> config = ChangeConsumer.load(Path.of(value));
                case "--schema-registry" -> schemaRegistry = Optional.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option + "; " + USAGE);
            }
        }
        return new ExampleArgs(bootstrap, group, config, schemaRegistry);
    }
}
