package io.vigil.aggregator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.ServiceChange;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
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
 * No record can stop a stage, on a real broker: a service change too large for the stage's
 * limit, or for what its topic takes, is dead-lettered, and a small service that comes after it
 * still becomes visible.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class OversizedRecordTest {

    /** Enough dataplanes in one service that its change is far over {@link #LIMIT} bytes. */
    private static final int BIG_SERVICE_DATAPLANES = 300;
    private static final int LIMIT = 4_096;

    @Test
    void aServiceChangeOverTheStageLimitIsDeadLetteredAndAnotherServiceStillBecomesVisible() throws Exception {
        String mesh = "oversize-limit";
        StageConfig smallRecords = new StageConfig("oversize-limit", Duration.ofMillis(100), 5_000, Duration.ofSeconds(10),
                Duration.ofSeconds(10), LIMIT);
        try (PipelineHarness kafka = new PipelineHarness(EmbeddedKafkaExtension.bootstrapServers());
             StageRunner stage1 = kafka.stage1("oversize-limit");
             StageRunner stage2 = kafka.stage2(smallRecords)) {
            runBigThenSmall(kafka, mesh);
        }

        ConsumerRecord<byte[], byte[]> dead = deadServiceChange(mesh);
        assertThat(dead.value()).isNull();
        assertThat(DeadLetters.header(dead, "vigil.dead-letter.stage")).isEqualTo("services");
        assertThat(DeadLetters.header(dead, "vigil.dead-letter.reason")).contains("over the stage's limit of " + LIMIT + " bytes");
        assertThat(Integer.parseInt(DeadLetters.header(dead, "vigil.dead-letter.bytes"))).isGreaterThan(LIMIT);
    }

    @Test
    void aServiceChangeTheBrokerRefusesFailsOnceThenIsDeadLetteredAndAnotherServiceStillBecomesVisible() throws Exception {
        String mesh = "oversize-refused";
        ConfigResource serviceHealth = new ConfigResource(ConfigResource.Type.TOPIC, Topics.SERVICE_HEALTH.name());
        try (PipelineHarness kafka = new PipelineHarness(EmbeddedKafkaExtension.bootstrapServers())) {
            alter(kafka, serviceHealth, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(LIMIT)),
                    AlterConfigOp.OpType.SET));
            try (StageRunner stage1 = kafka.stage1("oversize-refused");
                 StageRunner stage2 = kafka.stage2("oversize-refused")) {
                runBigThenSmall(kafka, mesh);
                assertThat(stage2.failuresInARow()).as("the redo committed").isZero();
            } finally {
                // The broker is shared with the other tests of this JVM.
                alter(kafka, serviceHealth, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, null),
                        AlterConfigOp.OpType.DELETE));
            }
        }

        ConsumerRecord<byte[], byte[]> dead = deadServiceChange(mesh);
        assertThat(dead.value()).isNull();
        assertThat(DeadLetters.header(dead, "vigil.dead-letter.reason")).contains("that Kafka refused for " + Topics.SERVICE_HEALTH.name());
    }

    /** A service too big for one record builds; then one dataplane of another service comes, and must be seen. */
    private static void runBigThenSmall(PipelineHarness kafka, String mesh) throws Exception {
        List<DataplaneEvent> big = new ArrayList<>();
        for (int i = 0; i < BIG_SERVICE_DATAPLANES; i++) {
            big.addAll(onlineDataplane(mesh, "big-" + i, "big"));
        }
        kafka.send(big);
        kafka.send(onlineDataplane(mesh, "small-0", "small"));

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(kafka::caughtUp);
        List<ServiceChange> changes = ChangeTopicReader.read(EmbeddedKafkaExtension.bootstrapServers()).onlyMeshesStartingWith(mesh).service();
        assertThat(changes).filteredOn(c -> c.getService().equals("small")).as("the small service after the big one")
                .anySatisfy(c -> assertThat(c.getState().getDataplanes().getOnline()).isEqualTo(1));
    }

    private static List<DataplaneEvent> onlineDataplane(String mesh, String dataplane, String service) {
        String upsert = """
                {"type": "dataplane-upserted", "mesh": "%s", "dataplane": "%s", "time": "2026-11-26T10:00:00Z", "environment": "universal",
                 "spec": {"networking": {"address": "127.0.0.1", "inbound": [{"port": 8080, "tags": {"kuma.io/service": "%s"}}]}}}
                """.formatted(mesh, dataplane, service);
        String connect = """
                {"type": "stream-connected", "mesh": "%s", "dataplane": "%s", "time": "2026-11-26T10:00:01Z", "instance": "cp-1"}
                """.formatted(mesh, dataplane);
        return List.of(EventJson.parse(upsert), EventJson.parse(connect));
    }

    private static ConsumerRecord<byte[], byte[]> deadServiceChange(String mesh) {
        List<ConsumerRecord<byte[], byte[]>> dead = DeadLetters.read(EmbeddedKafkaExtension.bootstrapServers(), mesh + "/big");
        assertThat(dead).as("dead letters of the big service").isNotEmpty()
                .allSatisfy(record -> assertThat(DeadLetters.header(record, "vigil.dead-letter.topic")).isIn(
                        Topics.SERVICE_HEALTH.name(), Topics.SERVICE_STATE.name()));
        return dead.stream().filter(r -> Topics.SERVICE_HEALTH.name().equals(DeadLetters.header(r, "vigil.dead-letter.topic")))
                .findFirst().orElseThrow(() -> new AssertionError("no dead-lettered service change of " + mesh + "/big"));
    }

    private static void alter(PipelineHarness kafka, ConfigResource topic, AlterConfigOp op) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> change = Map.of(topic, List.of(op));
        kafka.admin().incrementalAlterConfigs(change).all().get();
    }
}
