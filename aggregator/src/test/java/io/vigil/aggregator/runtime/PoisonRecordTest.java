package io.vigil.aggregator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.avro.DataplaneEvent;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A record that is not an event goes to the dead-letter topic with the reason and its origin; the stage goes on. */
@ExtendWith(EmbeddedKafkaExtension.class)
class PoisonRecordTest {

    @Test
    void garbageIsDeadLetteredAndTheRecordsAfterItAreProcessed() throws Exception {
        FleetEvents fleet = new FleetEvents("poison-", 20, 2, 3);
        List<DataplaneEvent> before = fleet.bootstrap();
        DataplaneEvent wrongKey = fleet.steady(1).get(0);
        try (PipelineHarness kafka = new PipelineHarness(EmbeddedKafkaExtension.bootstrapServers());
             StageRunner stage1 = kafka.stage1("poison");
             StageRunner stage2 = kafka.stage2("poison")) {
            kafka.send(before.subList(0, 10));
            kafka.sendRaw("poison-mesh-0/dp-0", "\u0000not avro at all".getBytes(StandardCharsets.UTF_8));
            kafka.sendRaw("poison-mesh-0/someone-else", new io.vigil.schemas.DataplaneEventSerde().serialize(Topics.DATAPLANE_EVENTS.name(), wrongKey));
            kafka.send(before.subList(10, before.size()));
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).until(kafka::caughtUp);
        }

        List<ConsumerRecord<byte[], byte[]>> dead = DeadLetters.read(EmbeddedKafkaExtension.bootstrapServers(), "poison-");
        assertThat(dead).hasSize(2);
        ConsumerRecord<byte[], byte[]> garbage = DeadLetters.byKey(dead, "poison-mesh-0/dp-0");
        assertThat(DeadLetters.header(garbage, "vigil.dead-letter.reason")).startsWith("undecodable event");
        assertThat(DeadLetters.header(garbage, "vigil.dead-letter.topic")).isEqualTo(Topics.DATAPLANE_EVENTS.name());
        assertThat(DeadLetters.header(garbage, "vigil.dead-letter.partition")).matches("[0-9]+");
        assertThat(DeadLetters.header(garbage, "vigil.dead-letter.offset")).matches("[0-9]+");
        assertThat(new String(garbage.value(), StandardCharsets.UTF_8)).contains("not avro at all");
        assertThat(DeadLetters.header(DeadLetters.byKey(dead, "poison-mesh-0/someone-else"), "vigil.dead-letter.reason"))
                .contains("is not the event's mesh/dataplane");

        ChangeTopicReader live = ChangeTopicReader.read(EmbeddedKafkaExtension.bootstrapServers()).onlyMeshesStartingWith("poison-");
        assertThat(live.proxy()).extracting(c -> c.getDataplane()).contains("dp-19");
    }
}
