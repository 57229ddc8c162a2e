package io.vigil.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    @Test
    void keepsClusterTopicsAndRecordsAcrossARestartOnTheSameDirAndPort(@TempDir Path dataDir) throws Exception {
        int port;
        String clusterId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dataDir).build().start()) {
            port = broker.port();
            TestClients.createTopic(broker.bootstrapServers(), "survivor");
            TestClients.produce(broker.bootstrapServers(), "survivor", "k", "before restart");
            clusterId = TestClients.clusterId(broker.bootstrapServers());
        }

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dataDir).port(port).build().start()) {
            String bootstrap = broker.bootstrapServers();
            assertThat(bootstrap).isEqualTo("127.0.0.1:" + port);
            assertThat(TestClients.clusterId(bootstrap)).isEqualTo(clusterId);
            assertThat(TestClients.topics(bootstrap)).contains("survivor");
            assertThat(TestClients.readFromStart(bootstrap, "survivor", 1))
                    .extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(tuple("k", "before restart"));
        }
    }

    @Test
    void aSecondBrokerOnADataDirInUseFailsFastNamingTheDir(@TempDir Path dataDir) throws Exception {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder(dataDir).build().start()) {
            EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder(dataDir).build();

            assertThatThrownBy(second::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("data dir " + dataDir.toAbsolutePath().normalize() + " is in use by another broker");
            // The failed attempt left the running broker alone.
            assertThat(TestClients.clusterId(first.bootstrapServers())).isNotBlank();
        }
    }

    @Test
    void aTakenPortIsReportedBeforeKafkaStarts(@TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dataDir).port(taken.getLocalPort()).build();

            assertThatThrownBy(broker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
        }
    }

    @Test
    void reservedPropertiesCannotBeOverridden(@TempDir Path dataDir) {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder(dataDir).brokerProperty("listeners", "PLAINTEXT://0.0.0.0:9092"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners");
    }
}
