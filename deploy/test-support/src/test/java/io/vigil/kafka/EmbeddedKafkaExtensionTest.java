package io.vigil.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaExtensionTest {

    @Test
    void theSharedBrokerTakesRecordsWithAcksAllAndServesThemToAConsumerGroup() throws Exception {
        String bootstrap = EmbeddedKafkaExtension.bootstrapServers();
        TestClients.createTopic(bootstrap, "extension-roundtrip");

        TestClients.produce(bootstrap, "extension-roundtrip", "node-1", "healthy");

        assertThat(TestClients.readAsGroup(bootstrap, "extension-roundtrip", "extension-roundtrip-reader", 1))
                .extracting(ConsumerRecord::key, ConsumerRecord::value)
                .containsExactly(tuple("node-1", "healthy"));
    }

    @Test
    void topicsAreNeverCreatedByAccident() throws Exception {
        String bootstrap = EmbeddedKafkaExtension.bootstrapServers();

        assertThat(TestClients.partitionsFor(bootstrap, "never-created")).isEmpty();
        assertThat(TestClients.topics(bootstrap)).doesNotContain("never-created");
    }

    @Test
    void theQuarkusTestResourceHandsOutTheSameBroker() {
        EmbeddedKafkaTestResource resource = new EmbeddedKafkaTestResource();

        assertThat(resource.start()).containsExactly(entry("kafka.bootstrap.servers", EmbeddedKafkaExtension.bootstrapServers()));
        resource.stop();
        assertThat(EmbeddedKafkaExtension.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    }
}
