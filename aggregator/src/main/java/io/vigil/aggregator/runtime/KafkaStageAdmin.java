package io.vigil.aggregator.runtime;

import static io.vigil.schemas.kafka.KafkaFutures.await;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/** {@link StageAdmin} through an {@link Admin} client. */
final class KafkaStageAdmin implements StageAdmin {

    private final Admin admin;

    KafkaStageAdmin(Admin admin) {
        this.admin = admin;
    }

    /** Asked of the partitions' leaders with {@code read_uncommitted} isolation. */
    @Override
    public Map<TopicPartition, Long> highWatermarks(Collection<TopicPartition> changelogs) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        changelogs.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> answers = await(
                admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all(), "read the end of " + changelogs);
        Map<TopicPartition, Long> ends = new HashMap<>();
        answers.forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    @Override
    public Map<String, Integer> maxMessageBytes(Collection<String> topics) {
        Map<String, ConfigResource> resources = new HashMap<>();
        topics.forEach(topic -> resources.put(topic, new ConfigResource(ConfigResource.Type.TOPIC, topic)));
        Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources.values()).all(), "describe " + topics);
        Map<String, Integer> limits = new HashMap<>();
        resources.forEach((topic, resource) ->
                limits.put(topic, Integer.parseInt(configs.get(resource).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value())));
        return limits;
    }

    @Override
    public void close() {
        admin.close();
    }
}
