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
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator as its own process ({@code vigil serve --roles aggregator}) is killed with
 * SIGKILL at random moments, ten times, while events flow, and restarted each time. A
 * {@code read_committed} follower of every change topic must then see, for every entity,
 * versions 1..n each exactly once, and the same changes as {@code vigil replay}.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class AggregatorCrashIT {

    private static final int KILLS = 10;

    @TempDir
    Path dir;

    @Test
    void killedTenTimesItLosesAndDuplicatesNothing() throws Exception {
        assertThat(PackagedAggregator.APP.resolve("quarkus-run.jar")).as("the packaged runnable (failsafe runs after package)").exists();
        FleetEvents fleet = new FleetEvents("crash-", 300, 3, 17);
        List<DataplaneEvent> events = new ArrayList<>(fleet.bootstrap());
        events.addAll(fleet.steady(60_000));
        String kafka = EmbeddedKafkaExtension.bootstrapServers();
        Random random = new Random(42);
        Path data = dir.resolve("data");
        try (PipelineHarness harness = new PipelineHarness(kafka)) {
            AtomicInteger sent = new AtomicInteger();
            Thread feeder = new Thread(() -> {
                // Events keep arriving through all the crashes: 20 slices, one every 400 ms.
                int slice = events.size() / 20 + 1;
                for (int from = 0; from < events.size(); from += slice) {
                    harness.send(events.subList(from, Math.min(events.size(), from + slice)));
                    sent.set(Math.min(events.size(), from + slice));
                    pause(400);
                }
            }, "crash-it-feeder");
            feeder.start();
            for (int kill = 0; kill < KILLS; kill++) {
                try (PackagedAggregator aggregator = PackagedAggregator.start(kafka, data, dir.resolve("run-" + kill + ".log")).awaitReady()) {
                    pause(200 + random.nextInt(1500));
                    aggregator.kill();
                }
            }
            feeder.join();
            try (PackagedAggregator last = PackagedAggregator.start(kafka, data, dir.resolve("last.log")).awaitReady()) {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(harness::caughtUp);
            }
            assertThat(sent.get()).isEqualTo(events.size());
        }
        ReplayAssertions.assertFollowerSawTheReplay(ChangeTopicReader.read(kafka).onlyMeshesStartingWith("crash-"), events);
    }

    /** Chooses when the next crash or the next slice of load happens; never waits for a result. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
