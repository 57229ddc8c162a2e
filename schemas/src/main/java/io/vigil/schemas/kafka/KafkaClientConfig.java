package io.vigil.schemas.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Gathers a process's Kafka client properties from every place an operator may put them, in
 * rising precedence:
 * <ol>
 *   <li>a Kafka {@code client.properties} file ({@code --kafka-config FILE}, env {@value #FILE_VARIABLE});</li>
 *   <li>{@code kafka.*} configuration: environment variables {@code KAFKA_*} ({@code KAFKA_SASL_JAAS_CONFIG}
 *       is {@code sasl.jaas.config}), then {@code -Dkafka.*} system properties;</li>
 *   <li>{@code -Dvigil.kafka.*} system properties, for a setting meant for vigil alone;</li>
 *   <li>the bootstrap address given on the command line.</li>
 * </ol>
 * Every command merges its properties here, and {@code vigil serve} hands the result to SmallRye
 * Reactive Messaging and to {@link KafkaClients} alike, so every client of every role and command
 * sees the same properties. Names from configuration are lower-cased with {@code _} read as
 * {@code .}, as Quarkus reads {@code kafka.*}; names in the file are Kafka's, as written.
 *
 * <p>Nothing here logs or puts a value in an exception message: values may be secrets.
 * Stateless; safe from any thread.
 */
public final class KafkaClientConfig {

    /** The environment variable naming the client.properties file. */
    public static final String FILE_VARIABLE = "VIGIL_KAFKA_CONFIG";

    private static final String KAFKA_PREFIX = "kafka.";
    private static final String VIGIL_KAFKA_PREFIX = "vigil.kafka.";
    private static final String KAFKA_VARIABLE_PREFIX = "KAFKA_";

    private KafkaClientConfig() {
    }

    /**
     * The merged properties; {@code bootstrap.servers} is missing only when no source names it.
     *
     * @param file             the client.properties file's properties ({@link #read}), or empty
     * @param environment      the process's environment variables; only {@code KAFKA_*} are read
     * @param systemProperties the process's system properties; only {@code kafka.*} and {@code vigil.kafka.*} are read
     * @param bootstrapServers the command line's bootstrap address, or null
     */
    public static Map<String, String> merge(Map<String, String> file, Map<String, String> environment,
                                            Map<String, String> systemProperties, String bootstrapServers) {
        Map<String, String> merged = new TreeMap<>(file);
        environment.forEach((name, value) -> {
            if (name.startsWith(KAFKA_VARIABLE_PREFIX) && name.length() > KAFKA_VARIABLE_PREFIX.length()) {
                merged.put(configName(name.substring(KAFKA_VARIABLE_PREFIX.length())), value);
            }
        });
        putPrefixed(merged, systemProperties, KAFKA_PREFIX);
        putPrefixed(merged, systemProperties, VIGIL_KAFKA_PREFIX);
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            merged.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.strip());
        }
        return merged;
    }

    /**
     * The properties of a Kafka client.properties file, read as Kafka's own tools read it
     * ({@link Properties#load(InputStream)}: ISO 8859-1 with {@code \}{@code u} escapes).
     *
     * @throws IllegalArgumentException saying why the file cannot be used (missing, a directory,
     *         unreadable, malformed), naming the file but none of its values
     */
    public static Map<String, String> read(Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("Kafka client config " + file + " is a directory, not a client.properties file");
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Kafka client config " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("Kafka client config " + file + ": permission denied");
        } catch (IOException e) {
            throw new IllegalArgumentException("Kafka client config " + file + " cannot be read: " + e.getClass().getSimpleName());
        } catch (IllegalArgumentException malformed) {
            // Properties names the bad escape, which may quote a secret: say only where the problem is.
            throw new IllegalArgumentException("Kafka client config " + file + " is not a properties file (a malformed \\u escape)");
        }
        Map<String, String> result = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            result.put(name, properties.getProperty(name));
        }
        return result;
    }

    private static void putPrefixed(Map<String, String> into, Map<String, String> config, String prefix) {
        config.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(prefix) && lower.length() > prefix.length()) {
                into.put(configName(lower.substring(prefix.length())), value);
            }
        });
    }

    /** Quarkus' reading of a {@code kafka.*} name or {@code KAFKA_*} variable: lower case, {@code _} as {@code .}. */
    private static String configName(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '.');
    }
}
