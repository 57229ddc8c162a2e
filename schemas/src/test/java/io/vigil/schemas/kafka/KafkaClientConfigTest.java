package io.vigil.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a process's Kafka client properties come from, which source wins, and that no value leaks. */
class KafkaClientConfigTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"vigil\" password=\"s3cr3t-from-file\";";

    @TempDir
    Path tmp;

    @Test
    void aClientPropertiesFileIsReadAsKafkasToolsReadIt() throws IOException {
        Path file = write("client.properties", """
                # a comment
                bootstrap.servers=127.0.0.1:9093
                security.protocol = SASL_SSL
                sasl.jaas.config=%s
                ssl.truststore.location=/tmp/caf\\u00e9/ca.crt
                """.formatted(JAAS));

        assertThat(KafkaClientConfig.read(file)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "127.0.0.1:9093",
                "security.protocol", "SASL_SSL",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.location", "/tmp/café/ca.crt"));
    }

    @Test
    void eachSourceOverridesTheOnesBeforeIt() {
        Map<String, String> file = Map.of("bootstrap.servers", "127.0.0.1:1", "linger.ms", "1", "compression.type", "gzip",
                "acks", "1", "client.dns.lookup", "use_all_dns_ips", "request.timeout.ms", "1000");
        Map<String, String> environment = Map.of("KAFKA_LINGER_MS", "2", "KAFKA_COMPRESSION_TYPE", "lz4", "KAFKA_ACKS", "all",
                "HOME", "/root", "KAFKA_", "ignored");
        Map<String, String> systemProperties = Map.of("kafka.compression.type", "zstd", "kafka.acks", "-1",
                "vigil.kafka.acks", "0", "vigil.kafka", "embedded", "java.home", "/jdk");

        Map<String, String> merged = KafkaClientConfig.merge(file, environment, systemProperties, "127.0.0.1:9093");

        assertThat(merged).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "127.0.0.1:9093",      // the command line, last
                "linger.ms", "2",                            // KAFKA_* over the file
                "compression.type", "zstd",                  // -Dkafka.* over KAFKA_*
                "acks", "0",                                 // -Dvigil.kafka.* over -Dkafka.*
                "client.dns.lookup", "use_all_dns_ips",      // the file alone
                "request.timeout.ms", "1000"));
    }

    @Test
    void withoutABootstrapFlagTheBootstrapComesFromTheSources() {
        assertThat(KafkaClientConfig.merge(Map.of("bootstrap.servers", "127.0.0.1:1"), Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:2"),
                Map.of(), null)).containsEntry("bootstrap.servers", "127.0.0.1:2");
        assertThat(KafkaClientConfig.merge(Map.of(), Map.of(), Map.of(), " ")).doesNotContainKey("bootstrap.servers");
    }

    @Test
    void configurationNamesAreReadAsQuarkusReadsKafkaConfig() {
        Map<String, String> merged = KafkaClientConfig.merge(Map.of(),
                Map.of("KAFKA_SASL_JAAS_CONFIG", JAAS, "KAFKA_PRODUCER_COMPRESSION_TYPE", "zstd"),
                Map.of("kafka.SSL.Truststore.Type", "PEM"), null);

        assertThat(merged).containsOnlyKeys("sasl.jaas.config", "producer.compression.type", "ssl.truststore.type");
    }

    @Test
    void aFileThatCannotBeUsedIsRefusedSayingWhyWithoutItsValues() throws IOException {
        assertThatThrownBy(() -> KafkaClientConfig.read(tmp.resolve("missing.properties")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Kafka client config " + tmp.resolve("missing.properties") + ": no such file");
        assertThatThrownBy(() -> KafkaClientConfig.read(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Kafka client config " + tmp + " is a directory, not a client.properties file");
        Path malformed = write("malformed.properties", "sasl.jaas.config=s3cr3t\\uZZZZ\n");
        assertThatThrownBy(() -> KafkaClientConfig.read(malformed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(malformed.toString()).hasMessageNotContaining("s3cr3t");
    }

    @Test
    void settingsFromAFileNeverShowItsSecrets() throws IOException {
        Path file = write("client.properties", """
                bootstrap.servers=127.0.0.1:9093
                security.protocol=SASL_SSL
                sasl.jaas.config=%s
                ssl.keystore.password=store-s3cr3t
                ssl.key.password=key-s3cr3t
                consumer.ssl.truststore.password=trust-s3cr3t
                """.formatted(JAAS));

        String text = KafkaSettings.of(KafkaClientConfig.merge(KafkaClientConfig.read(file), Map.of(), Map.of(), null)).toString();

        assertThat(text).contains("security.protocol=SASL_SSL", "sasl.jaas.config=[hidden]", "ssl.keystore.password=[hidden]",
                "ssl.key.password=[hidden]", "consumer.ssl.truststore.password=[hidden]")
                .doesNotContain("s3cr3t");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content, StandardCharsets.ISO_8859_1);
    }
}
