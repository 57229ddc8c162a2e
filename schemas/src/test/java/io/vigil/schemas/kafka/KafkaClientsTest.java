package io.vigil.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.kafka.KafkaSettings.ClientKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a client's configuration is made from the operator's settings and the client's own options; no broker needed. */
class KafkaClientsTest {

    private static final KafkaSettings SETTINGS = KafkaSettings.of(Map.of(
            "bootstrap.servers", "127.0.0.1:9093",
            "security.protocol", "SASL_SSL",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"vigil\" password=\"s3cr3t\";",
            "ssl.truststore.password", "changeit",
            "linger.ms", "50",
            "isolation.level", "read_uncommitted",
            "producer.compression.type", "zstd",
            "consumer.max.poll.records", "17",
            "group.id", "vigil",
            "client.id", "operator-chosen"));

    private final KafkaClients clients = new KafkaClients(SETTINGS);

    @Test
    void everyClientGetsTheOperatorsPropertiesSuchAsSecurity() {
        for (ClientKind kind : ClientKind.values()) {
            Map<String, Object> config = clients.config(kind, ClientOptions.named("c"));
            assertThat(config).as(kind.name())
                    .containsEntry("bootstrap.servers", "127.0.0.1:9093")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("ssl.truststore.password", "changeit")
                    .containsKey("sasl.jaas.config");
        }
    }

    @Test
    void theOperatorsSettingsOverrideTuningAndRequiredPropertiesOverrideTheSettings() {
        ClientOptions options = ClientOptions.named("stage").tune("linger.ms", 5).tune("batch.size", 1024)
                .require("isolation.level", "read_committed");

        Map<String, Object> producer = clients.config(ClientKind.PRODUCER, options);
        Map<String, Object> consumer = clients.config(ClientKind.CONSUMER, options);

        assertThat(producer).containsEntry("linger.ms", "50").containsEntry("batch.size", 1024);
        assertThat(consumer).containsEntry("isolation.level", "read_committed");
    }

    @Test
    void aPrefixedPropertyReachesOnlyItsKindAndWinsThere() {
        assertThat(clients.config(ClientKind.PRODUCER, ClientOptions.named("p")))
                .containsEntry("compression.type", "zstd").doesNotContainKey("max.poll.records").doesNotContainKey("producer.compression.type");
        assertThat(clients.config(ClientKind.CONSUMER, ClientOptions.named("c").tune("max.poll.records", 500)))
                .containsEntry("max.poll.records", "17").doesNotContainKey("compression.type");
        assertThat(clients.config(ClientKind.ADMIN, ClientOptions.named("a")))
                .doesNotContainKeys("compression.type", "max.poll.records");
    }

    @Test
    void vigilNamesEveryClientAndGroupItself() {
        Map<String, Object> grouped = clients.config(ClientKind.CONSUMER,
                ClientOptions.named("vigil-prober").require("group.id", "vigil-prober"));
        Map<String, Object> assigned = clients.config(ClientKind.CONSUMER, ClientOptions.committedReader("vigil-replay", 100));

        assertThat(grouped).containsEntry("client.id", "vigil-prober").containsEntry("group.id", "vigil-prober");
        assertThat(assigned).containsEntry("client.id", "vigil-replay").doesNotContainKey("group.id")
                .containsEntry("enable.auto.commit", false).containsEntry("isolation.level", "read_committed");
    }

    @Test
    void secretsNeverShowInTheSettingsText() {
        String text = SETTINGS.toString();

        assertThat(text).contains("security.protocol=SASL_SSL", "bootstrap.servers=127.0.0.1:9093")
                .doesNotContain("s3cr3t").doesNotContain("changeit")
                .contains("sasl.jaas.config=[hidden]", "ssl.truststore.password=[hidden]");
    }

    @Test
    void settingsWithoutABootstrapAddressAreRefused() {
        assertThatThrownBy(() -> KafkaSettings.of(Map.of("security.protocol", "SSL")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrap.servers");
    }
}
