package io.vigil.aggregator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.ProxyChange;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No record can stop a stage, on a real broker: a proxy change too large for the stage's limit,
 * or for what its topic takes, is dead-lettered, and a dataplane that comes after it still
 * becomes visible. (A service's records no longer grow with the service; a dataplane's are
 * bounded by the ingest limits, which a stage limit far below them stands in for here.)
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class OversizedRecordTest {

    /** Enough inbounds, each in a service with a long name, that the dataplane's proxy change is far over {@link #LIMIT} bytes. */
    private static final int BIG_DATAPLANE_INBOUNDS = 40;
    private static final int LIMIT = 4_096;

    @Test
    void aProxyChangeOverTheStageLimitIsDeadLetteredAndAnotherDataplaneStillBecomesVisible() throws Exception {
        String mesh = "oversize-limit";
        StageConfig smallRecords = new StageConfig("oversize-limit", Duration.ofMillis(100), 5_000, Duration.ofSeconds(10),
                Duration.ofSeconds(10), LIMIT);
        try (PipelineHarness kafka = new PipelineHarness(EmbeddedKafkaExtension.bootstrapServers());
             StageRunner stage1 = kafka.stage1(smallRecords);
             StageRunner stage2 = kafka.stage2("oversize-limit")) {
            runBigThenSmall(kafka, mesh);
        }

        ConsumerRecord<byte[], byte[]> dead = deadProxyChange(mesh);
        assertThat(dead.value()).isNull();
        assertThat(DeadLetters.header(dead, "vigil.dead-letter.stage")).isEqualTo("dataplanes");
        assertThat(DeadLetters.header(dead, "vigil.dead-letter.reason")).contains("over the stage's limit of " + LIMIT + " bytes");
        assertThat(Integer.parseInt(DeadLetters.header(dead, "vigil.dead-letter.bytes"))).isGreaterThan(LIMIT);
    }

    @Test
    void aProxyChangeTheBrokerRefusesFailsOnceThenIsDeadLetteredAndAnotherDataplaneStillBecomesVisible() throws Exception {
        String mesh = "oversize-refused";
        ConfigResource proxyHealth = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PROXY_HEALTH.name());
        try (PipelineHarness kafka = new PipelineHarness(EmbeddedKafkaExtension.bootstrapServers())) {
            alter(kafka, proxyHealth, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(LIMIT)),
                    AlterConfigOp.OpType.SET));
            try (StageRunner stage1 = kafka.stage1("oversize-refused");
                 StageRunner stage2 = kafka.stage2("oversize-refused")) {
                runBigThenSmall(kafka, mesh);
                assertThat(stage1.failuresInARow()).as("the redo committed").isZero();
            } finally {
                // The broker is shared with the other tests of this JVM.
                alter(kafka, proxyHealth, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, null),
                        AlterConfigOp.OpType.DELETE));
            }
        }

        ConsumerRecord<byte[], byte[]> dead = deadProxyChange(mesh);
        assertThat(dead.value()).isNull();
        assertThat(DeadLetters.header(dead, "vigil.dead-letter.reason")).contains("that Kafka refused for " + Topics.PROXY_HEALTH.name());
        assertThat(DeadLetters.read(EmbeddedKafkaExtension.bootstrapServers(), mesh + "/"))
                .as("only the big proxy changes: the records that failed with them were not refused")
                .allSatisfy(letter -> assertThat(DeadLetters.header(letter, "vigil.dead-letter.topic")).isEqualTo(Topics.PROXY_HEALTH.name()));
    }

    /** A dataplane too big for one record comes; then a small one, which must be seen. */
    private static void runBigThenSmall(PipelineHarness kafka, String mesh) throws Exception {
        kafka.send(onlineDataplane(mesh, "big-0", BIG_DATAPLANE_INBOUNDS));
        kafka.send(onlineDataplane(mesh, "small-0", 1));

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(kafka::caughtUp);
        List<ProxyChange> changes = ChangeTopicReader.read(EmbeddedKafkaExtension.bootstrapServers()).onlyMeshesStartingWith(mesh).proxy();
        assertThat(changes).filteredOn(c -> c.getDataplane().equals("small-0")).as("the small dataplane after the big one")
                .anySatisfy(c -> assertThat(c.getState().getConnected()).isTrue());
    }

    private static List<DataplaneEvent> onlineDataplane(String mesh, String dataplane, int inbounds) {
        StringBuilder inbound = new StringBuilder();
        for (int i = 0; i < inbounds; i++) {
            inbound.append(i == 0 ? "" : ", ").append("""
                    {"port": %d, "tags": {"kuma.io/service": "service-with-a-long-name-%s-%d"}}""".formatted(8080 + i, "x".repeat(60), i));
        }
        String upsert = """
                {"type": "dataplane-upserted", "mesh": "%s", "dataplane": "%s", "time": "2026-11-26T10:00:00Z", "environment": "universal",
                 "spec": {"networking": {"address": "127.0.0.1", "inbound": [%s]}}}
                """.formatted(mesh, dataplane, inbound);
        String connect = """
                {"type": "stream-connected", "mesh": "%s", "dataplane": "%s", "time": "2026-11-26T10:00:01Z", "instance": "cp-1"}
                """.formatted(mesh, dataplane);
        return List.of(EventJson.parse(upsert), EventJson.parse(connect));
    }

    private static ConsumerRecord<byte[], byte[]> deadProxyChange(String mesh) {
        List<ConsumerRecord<byte[], byte[]>> dead = DeadLetters.read(EmbeddedKafkaExtension.bootstrapServers(), mesh + "/big-0");
        assertThat(dead).as("dead letters of the big dataplane").isNotEmpty();
        return dead.stream().filter(r -> Topics.PROXY_HEALTH.name().equals(DeadLetters.header(r, "vigil.dead-letter.topic")))
                .findFirst().orElseThrow(() -> new AssertionError("no dead-lettered proxy change of " + mesh + "/big-0"));
    }

    private static void alter(PipelineHarness kafka, ConfigResource topic, AlterConfigOp op) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> change = Map.of(topic, List.of(op));
        kafka.admin().incrementalAlterConfigs(change).all().get();
    }
}
