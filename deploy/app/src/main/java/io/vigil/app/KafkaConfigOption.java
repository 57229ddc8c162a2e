package io.vigil.app;

import io.vigil.schemas.kafka.KafkaClientConfig;
import io.vigil.schemas.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * {@code --kafka-config FILE} (env {@code VIGIL_KAFKA_CONFIG}) for every command that talks to
 * Kafka, and the one way such a command gets its client properties: the file, then this process's
 * {@code KAFKA_*} variables and {@code kafka.*} / {@code vigil.kafka.*} system properties, then the
 * command's bootstrap flag ({@link KafkaClientConfig}). Read on the command's thread.
 */
final class KafkaConfigOption {

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:" + KafkaClientConfig.FILE_VARIABLE + "}",
            description = "A Kafka client.properties (security.protocol, sasl.*, ssl.*, ...) for every Kafka client "
                    + "(env " + KafkaClientConfig.FILE_VARIABLE + "); KAFKA_* variables, -Dkafka.* and -Dvigil.kafka.* override it.")
    Path file;

    /**
     * The merged client properties; without {@code bootstrap.servers} when no source names one.
     *
     * @param bootstrapServers the command's bootstrap flag, or null
     * @throws BadInputException if the file cannot be read
     */
    Map<String, String> properties(String bootstrapServers) {
        Map<String, String> fromFile;
        try {
            fromFile = given() ? KafkaClientConfig.read(file) : Map.of();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        return KafkaClientConfig.merge(fromFile, System.getenv(), systemProperties(), bootstrapServers);
    }

    /**
     * The merged settings of a command that needs Kafka.
     *
     * @param flag how the command's own bootstrap flag is spelled, for the error message
     * @throws BadInputException if the file cannot be read or no source names a bootstrap address
     */
    KafkaSettings settings(String bootstrapServers, String flag) {
        Map<String, String> properties = properties(bootstrapServers);
        if (!properties.containsKey("bootstrap.servers")) {
            throw new BadInputException("no Kafka address: give " + flag + ", KAFKA_BOOTSTRAP_SERVERS, or bootstrap.servers in --kafka-config");
        }
        return KafkaSettings.of(properties);
    }

    /** Whether a file was named (an empty VIGIL_KAFKA_CONFIG names none). */
    boolean given() {
        return file != null && !file.toString().isBlank();
    }

    private static Map<String, String> systemProperties() {
        Properties properties = System.getProperties();
        Map<String, String> result = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            result.put(name, properties.getProperty(name));
        }
        return result;
    }
}
