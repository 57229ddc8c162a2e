package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.aggregator.runtime.ChangeTopicReader;
import io.vigil.aggregator.runtime.FleetEvents;
import io.vigil.aggregator.runtime.PipelineHarness;
import io.vigil.aggregator.runtime.ReplayAssertions;
import io.vigil.avro.DataplaneEvent;
import io.vigil.kafka.EmbeddedKafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two aggregator processes in one group: A starts and takes everything; B joins and takes
 * partitions with their state; A is killed with SIGKILL and B takes the rest (after the group's
 * session timeout, and after A's open transaction is aborted). Nothing is lost or duplicated.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class AggregatorRebalanceIT {

    private static final Pattern RESTORED = Pattern.compile("aggregator stage dataplanes restored partitions");

    @TempDir
    Path dir;

    @Test
    void partitionsMoveBetweenProcessesAndNothingIsLostOrDuplicated() throws Exception {
        FleetEvents fleet = new FleetEvents("rebalance-it-", 300, 3, 23);
        List<DataplaneEvent> events = new ArrayList<>(fleet.bootstrap());
        events.addAll(fleet.steady(30_000));
        int third = events.size() / 3;
        String kafka = EmbeddedKafkaExtension.bootstrapServers();
        try (PipelineHarness harness = new PipelineHarness(kafka);
             PackagedAggregator a = PackagedAggregator.start(kafka, dir.resolve("a"), dir.resolve("a.log")).awaitReady()) {
            harness.send(events.subList(0, third));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(harness::caughtUp);

            try (PackagedAggregator b = PackagedAggregator.start(kafka, dir.resolve("b"), dir.resolve("b.log")).awaitReady()) {
                harness.send(events.subList(third, 2 * third));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(harness::caughtUp);
                a.kill();
                harness.send(events.subList(2 * third, events.size()));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                        .until(() -> RESTORED.matcher(b.log()).results().count() >= 2 && harness.caughtUp());
            }
            assertThat(RESTORED.matcher(a.log()).results().count()).as("A restored again when B joined").isGreaterThanOrEqualTo(2);
        }
        ReplayAssertions.assertFollowerSawTheReplay(ChangeTopicReader.read(kafka).onlyMeshesStartingWith("rebalance-it-"), events);
    }
}
