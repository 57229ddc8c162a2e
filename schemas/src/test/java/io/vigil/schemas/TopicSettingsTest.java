package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicSettingsTest {

    private final TopicSettings settings = new TopicSettings(12, (short) 3, Duration.ofDays(7), Duration.ofHours(1));

    @Test
    void defaults() {
        assertThat(TopicSettings.defaults()).isEqualTo(new TopicSettings(6, (short) 1, Duration.ofDays(30), Duration.ofHours(24)));
    }

    @Test
    void deletePolicyTopicsKeepRecordsForTheRetention() {
        for (Topic<?> topic : List.of(Topics.DATAPLANE_EVENTS, Topics.SERVICE_MEMBERSHIP, Topics.DEAD_LETTER)) {
            assertThat(settings.configs(topic)).as(topic.name())
                    .isEqualTo(Map.of("cleanup.policy", "delete", "retention.ms", "604800000"));
        }
    }

    @Test
    void changeTopicsAreCompactedAfterTheLag() {
        for (Topic<?> topic : Topics.CHANGES) {
            assertThat(settings.configs(topic)).as(topic.name())
                    .isEqualTo(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "3600000"));
        }
    }

    @Test
    void stateChangelogsAndDataplaneSpecsAreCompacted() {
        for (Topic<?> topic : List.of(Topics.DATAPLANE_STATE, Topics.SERVICE_STATE, Topics.DATAPLANE_SPECS)) {
            assertThat(settings.configs(topic)).as(topic.name()).isEqualTo(Map.of("cleanup.policy", "compact"));
        }
    }

    @Test
    void everyTopicHasConfigs() {
        assertThat(Topics.names()).hasSize(10).doesNotHaveDuplicates();
        assertThat(Topics.ALL).allSatisfy(topic -> assertThat(settings.configs(topic)).isNotEmpty());
    }

    @Test
    void newTopicCarriesPartitionsReplicasAndConfigs() {
        NewTopic topic = settings.newTopic(Topics.PROXY_HEALTH, 4);

        assertThat(topic.name()).isEqualTo("vigil.proxy-health");
        assertThat(topic.numPartitions()).isEqualTo(4);
        assertThat(topic.replicationFactor()).isEqualTo((short) 3);
        assertThat(topic.configs()).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void coPartitionedTopicsComeAfterTheirPartner() {
        for (Topic<?> topic : Topics.ALL) {
            topic.coPartitionedWith().ifPresent(partner ->
                    assertThat(Topics.ALL.indexOf(partner)).as(topic.name()).isLessThan(Topics.ALL.indexOf(topic)));
        }
        assertThat(Topics.SERVICE_MEMBERSHIP.coPartitionedWith()).contains(Topics.DATAPLANE_EVENTS);
        assertThat(Topics.DATAPLANE_STATE.coPartitionedWith()).contains(Topics.DATAPLANE_EVENTS);
        assertThat(Topics.DATAPLANE_SPECS.coPartitionedWith()).contains(Topics.DATAPLANE_EVENTS);
        assertThat(Topics.SERVICE_STATE.coPartitionedWith()).contains(Topics.SERVICE_MEMBERSHIP);
        assertThat(Topics.PROXY_HEALTH.coPartitionedWith()).isEmpty();
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        assertThatThrownBy(() -> new TopicSettings(0, (short) 1, Duration.ofDays(1), Duration.ofDays(1))).hasMessageContaining("partitions");
        assertThatThrownBy(() -> new TopicSettings(1, (short) 0, Duration.ofDays(1), Duration.ofDays(1))).hasMessageContaining("replicationFactor");
        assertThatThrownBy(() -> new TopicSettings(1, (short) 1, Duration.ZERO, Duration.ofDays(1))).hasMessageContaining("eventLogRetention");
        assertThatThrownBy(() -> new TopicSettings(1, (short) 1, Duration.ofDays(1), Duration.ofDays(-1))).hasMessageContaining("changeMinCompactionLag");
    }
}
