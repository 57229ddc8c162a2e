package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The provisioner against a real broker. vigil's topic names are fixed and the broker is shared by
 * the JVM, so the tests walk one broker through a lifecycle, in order: an operator created the
 * event log; the first run creates the rest; a second run changes nothing; a broken co-partitioning
 * is reported. A finished admin request is committed by the controller, but the broker that answers
 * the next describe may not have applied it yet: every check of the broker's state waits for it.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopicProvisionerTest {

    private static final int OPERATOR_PARTITIONS = 3;

    private final TopicSettings settings = new TopicSettings(4, (short) 1, Duration.ofDays(7), Duration.ofHours(2));
    private Admin admin;
    private TopicProvisioner provisioner;

    @BeforeAll
    void connect() {
        admin = new KafkaClients(KafkaSettings.of(EmbeddedKafkaExtension.bootstrapServers())).admin(ClientOptions.named("topic-provisioner-test"));
        provisioner = new TopicProvisioner(admin, settings, Duration.ofSeconds(30));
    }

    @AfterAll
    void disconnect() {
        admin.close();
    }

    @Test
    @Order(1)
    void createsTheMissingTopicsWithTheirConfigsAndTheEventLogsPartitionCountWhereCoPartitioned() throws Exception {
        admin.createTopics(List.of(settings.newTopic(Topics.DATAPLANE_EVENTS, OPERATOR_PARTITIONS))).all().get();
        awaitPartitions(Topics.DATAPLANE_EVENTS.name(), OPERATOR_PARTITIONS);
        assertThat(provisioner.allTopicsExist()).isFalse();

        List<String> created = provisioner.provision();

        assertThat(created).containsExactly(Topics.DATAPLANE_SPECS.name(), Topics.SERVICE_MEMBERSHIP.name(), Topics.DATAPLANE_STATE.name(), Topics.SERVICE_STATE.name(),
                Topics.INBOUND_HEALTH.name(), Topics.PROXY_HEALTH.name(), Topics.SERVICE_HEALTH.name(), Topics.SERVICE_ENDPOINTS.name(),
                Topics.DEAD_LETTER.name());
        await().untilAsserted(() -> assertThat(provisioner.allTopicsExist()).isTrue());
        await().ignoreExceptions().untilAsserted(this::haveTheirPartitionsAndConfigs);
    }

    private void haveTheirPartitionsAndConfigs() throws Exception {
        assertThat(partitionCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Topics.DATAPLANE_EVENTS.name(), OPERATOR_PARTITIONS,
                Topics.DATAPLANE_SPECS.name(), OPERATOR_PARTITIONS,
                Topics.SERVICE_MEMBERSHIP.name(), OPERATOR_PARTITIONS,
                Topics.DATAPLANE_STATE.name(), OPERATOR_PARTITIONS,
                Topics.SERVICE_STATE.name(), OPERATOR_PARTITIONS,
                Topics.INBOUND_HEALTH.name(), 4,
                Topics.PROXY_HEALTH.name(), 4,
                Topics.SERVICE_HEALTH.name(), 4,
                Topics.SERVICE_ENDPOINTS.name(), 4,
                Topics.DEAD_LETTER.name(), 4));
        Map<String, Map<String, String>> configs = topicConfigs();
        for (String topic : List.of(Topics.DATAPLANE_EVENTS.name(), Topics.SERVICE_MEMBERSHIP.name(), Topics.DEAD_LETTER.name())) {
            assertThat(configs.get(topic)).as(topic).containsEntry("cleanup.policy", "delete").containsEntry("retention.ms", "604800000");
        }
        for (String topic : List.of(Topics.INBOUND_HEALTH.name(), Topics.PROXY_HEALTH.name(), Topics.SERVICE_HEALTH.name(),
                Topics.SERVICE_ENDPOINTS.name())) {
            assertThat(configs.get(topic)).as(topic).containsEntry("cleanup.policy", "compact").containsEntry("min.compaction.lag.ms", "7200000");
        }
        for (String topic : List.of(Topics.DATAPLANE_STATE.name(), Topics.SERVICE_STATE.name(), Topics.DATAPLANE_SPECS.name())) {
            assertThat(configs.get(topic)).as(topic).containsEntry("cleanup.policy", "compact");
        }
    }

    @Test
    @Order(2)
    void aSecondRunChangesNothing() throws Exception {
        Map<String, Integer> partitionsBefore = partitionCounts();
        Map<String, Map<String, String>> configsBefore = topicConfigs();

        assertThat(provisioner.provision()).isEmpty();

        assertThat(partitionCounts()).isEqualTo(partitionsBefore);
        assertThat(topicConfigs()).isEqualTo(configsBefore);
        assertThat(provisioner.allTopicsExist()).isTrue();
    }

    @Test
    @Order(3)
    void aCoPartitionedTopicWithAnotherPartitionCountIsReported() throws Exception {
        admin.createPartitions(Map.of(Topics.SERVICE_STATE.name(), NewPartitions.increaseTo(OPERATOR_PARTITIONS + 2))).all().get();
        awaitPartitions(Topics.SERVICE_STATE.name(), OPERATOR_PARTITIONS + 2);

        assertThatThrownBy(provisioner::provision)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not co-partitioned")
                .hasMessageContaining(Topics.SERVICE_STATE.name() + " has 5 partitions but must have 3 like " + Topics.SERVICE_MEMBERSHIP.name());
    }

    private void awaitPartitions(String topic, int partitions) {
        await().ignoreExceptions().untilAsserted(() ->
                assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(partitions));
    }

    private Map<String, Integer> partitionCounts() throws Exception {
        Map<String, TopicDescription> descriptions = admin.describeTopics(Topics.names()).allTopicNames().get();
        return descriptions.values().stream().collect(Collectors.toMap(TopicDescription::name, d -> d.partitions().size()));
    }

    /** Each topic's configs that were set on the topic itself, not inherited from the broker. */
    private Map<String, Map<String, String>> topicConfigs() throws Exception {
        List<ConfigResource> resources = Topics.names().stream().map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<String, Map<String, String>> configs = new HashMap<>();
        for (Map.Entry<ConfigResource, Config> entry : admin.describeConfigs(resources).all().get().entrySet()) {
            configs.put(entry.getKey().name(), entry.getValue().entries().stream()
                    .filter(config -> config.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                    .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value)));
        }
        return configs;
    }
}
