package io.vigil.aggregator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.avro.DataplaneEvent;
import io.vigil.kafka.EmbeddedKafkaExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances in one group: partitions move from A to B and back with their state (restored
 * from the changelogs), and a follower still sees every change once, as replay has them.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RebalanceTest {

    @Test
    void partitionsMoveWithTheirStateAndNothingIsLostOrDuplicated() throws Exception {
        FleetEvents fleet = new FleetEvents("rebalance-", 200, 3, 5);
        List<DataplaneEvent> events = new ArrayList<>(fleet.bootstrap());
        events.addAll(fleet.steady(30_000));
        int third = events.size() / 3;

        try (PipelineHarness kafka = new PipelineHarness(EmbeddedKafkaExtension.bootstrapServers())) {
            StageRunner a1 = kafka.stage1("rebalance-a");
            StageRunner a2 = kafka.stage2("rebalance-a");
            kafka.send(events.subList(0, third));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(kafka::caughtUp);

            try (StageRunner b1 = kafka.stage1("rebalance-b"); StageRunner b2 = kafka.stage2("rebalance-b")) {
                kafka.send(events.subList(third, 2 * third));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                        .until(() -> b1.ready() && !b1.partitions().isEmpty() && kafka.caughtUp());
                assertThat(a1.partitions()).as("A gave B some partitions").hasSizeLessThan(3).doesNotContainAnyElementsOf(b1.partitions());
                a1.close();
                a2.close();
                kafka.send(events.subList(2 * third, events.size()));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                        .until(() -> b1.partitions().size() == 3 && kafka.caughtUp());
            }
        }

        ReplayAssertions.assertFollowerSawTheReplay(
                ChangeTopicReader.read(EmbeddedKafkaExtension.bootstrapServers()).onlyMeshesStartingWith("rebalance-"), events);
    }
}
