package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.aggregator.runtime.ChangeTopicReader;
import io.vigil.aggregator.runtime.PipelineHarness;
import io.vigil.aggregator.runtime.ReplayAssertions;
import io.vigil.avro.DataplaneEvent;
import io.vigil.ingest.simulate.FleetGenerator;
import io.vigil.ingest.simulate.FleetShape;
import io.vigil.ingest.simulate.HttpSink;
import io.vigil.ingest.simulate.SimulationSink;
import io.vigil.schemas.DataplaneEventSerde;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy issue's failure test on the {@link DevCluster} that {@code vigil dev-cluster} runs
 * (three brokers, two aggregators, ingest, projections, each a process of the packaged app):
 * under steady load through the write API, one broker and one aggregator are killed with SIGKILL
 * and brought back. Then every event acknowledged with 202 is in the event log, a
 * {@code read_committed} follower of the change topics sees every entity's versions 1..n once
 * and the same changes as replay, and the projections' {@code /api/v1/state} equals
 * {@code vigil replay} of the event log.
 *
 * <p>Tagged {@code cluster}: {@code ./mvnw -pl deploy/app -am verify -Dit.test=ClusterFailureIT}
 * runs it alone.
 */
@Tag("cluster")
class ClusterFailureIT {

    /** Acknowledged events between two steps of the scenario. */
    private static final int EVENTS_PER_STEP = 1500;
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    void killingABrokerAndAnAggregatorUnderLoadLosesAndDuplicatesNothing() throws Exception {
        assertThat(PackagedAggregator.APP.resolve("quarkus-run.jar")).as("the packaged runnable (failsafe runs after package)").exists();
        String mesh = "cluster-it";
        DevCluster.Layout layout = new DevCluster.Layout(dir.resolve("cluster"), freePorts(3), freePorts(3), freePorts(1).get(0),
                freePorts(1).get(0), freePorts(2), "384m", "384m", null);
        long started = System.nanoTime();
        try (DevCluster cluster = DevCluster.start(PackagedAggregator.APP, layout)) {
            System.out.printf("cluster failure test: cluster ready after %.1f s%n", seconds(started));
            String kafka = cluster.bootstrapServers();
            assertReplicatedThrice(kafka);
            Load load = new Load(cluster.ingest().url(), Files.readString(cluster.tokenFile()).strip(), mesh);
            Thread loader = new Thread(load::run, "cluster-it-load");
            loader.start();
            try {
                awaitAcknowledged(load, EVENTS_PER_STEP);
                cluster.killBroker(2);
                cluster.killAggregator(1);
                awaitAcknowledged(load, load.acknowledged.size() + EVENTS_PER_STEP);
                cluster.restartBroker(2);
                cluster.restartAggregator(1);
                awaitAcknowledged(load, load.acknowledged.size() + EVENTS_PER_STEP);
            } finally {
                load.stop();
                loader.join(TimeUnit.MINUTES.toMillis(2));
            }
            System.out.printf("cluster failure test: %d events acknowledged, %d batches refused, load stopped after %.1f s%n",
                    load.acknowledged.size(), load.refusedBatches.get(), seconds(started));

            try (PipelineHarness harness = new PipelineHarness(kafka)) {
                await().atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(harness::caughtUp);
            }
            DataplaneEventSerde serde = new DataplaneEventSerde();
            List<DataplaneEvent> log = ChangeTopicReader.readAll(kafka, Topics.DATAPLANE_EVENTS.name(), b -> serde.deserialize(Topics.DATAPLANE_EVENTS.name(), b))
                    .stream().filter(e -> e.getMesh().equals(mesh)).toList();
            Set<String> logged = new HashSet<>();
            log.forEach(e -> logged.add(e.getId()));
            assertThat(logged).as("every acknowledged event is in the event log").containsAll(load.acknowledged);

            ReplayAssertions.assertFollowerSawTheReplay(ChangeTopicReader.read(kafka).onlyMeshesStartingWith(mesh), log);

            JsonNode replay = replay(log);
            await().atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(Scenarios.withoutVersions(state(cluster.projections().url(), mesh))).isEqualTo(replay));
            System.out.printf("cluster failure test: checked after %.1f s%n", seconds(started));
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void awaitAcknowledged(Load load, int count) {
        await().atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (load.failure != null) {
                throw new AssertionError("the load stopped: " + load.failure);
            }
            return load.acknowledged.size() >= count;
        });
    }

    private static void assertReplicatedThrice(String kafka) throws Exception {
        try (Admin admin = new KafkaClients(KafkaSettings.of(kafka)).admin(ClientOptions.named("cluster-failure-test"))) {
            await().atMost(STEP_TIMEOUT).until(() -> admin.listTopics().names().get().containsAll(Topics.names()));
            for (TopicDescription topic : admin.describeTopics(Topics.names()).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                assertThat(topic.partitions()).as(topic.name()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            }
        }
    }

    /** {@code vigil replay --format json} of the events, versions left out (live coalescing differs from replay's). */
    private JsonNode replay(List<DataplaneEvent> events) throws IOException {
        Path file = dir.resolve("event-log.jsonl");
        Files.write(file, events.stream().map(EventJson::renderText).toList());
        Cli.Result replay = Cli.run("replay", "--events", file.toString(), "--format", "json");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        return Scenarios.withoutVersions(Scenarios.parse(replay.out()));
    }

    private static JsonNode state(String projections, String mesh) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(projections + "/api/v1/state?mesh=" + mesh)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Scenarios.parse(response.body());
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            // Held together so that the ports differ from each other.
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    /**
     * Steady load through the write API: batches of a seeded fleet's events at a set pace (about
     * 250 events/s, so that the pipeline has the same amount of work however long the restarts
     * take on a loaded machine), each event's id recorded once its batch was answered 202. A refused batch (after the
     * sink's retries) is counted and the load goes on; a fatal refusal ends it.
     */
    private static final class Load {
        private static final int BATCH = 25;
        private static final long PACE_MILLIS = 100;

        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicLong refusedBatches = new AtomicLong();
        volatile String failure;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final SimulationSink sink;
        private final FleetGenerator fleet;

        Load(String ingest, String token, String mesh) {
            this.sink = new HttpSink(ingest, token);
            this.fleet = new FleetGenerator(new FleetShape(mesh, 150, 3, 15, 0.2, 0.3), 31,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS), "cluster-it");
        }

        void stop() {
            stopped.set(true);
        }

        void run() {
            try {
                while (!stopped.get()) {
                    List<DataplaneEvent> batch = new ArrayList<>(BATCH);
                    for (int i = 0; i < BATCH; i++) {
                        batch.add(fleet.next());
                    }
                    try {
                        sink.send(batch);
                        batch.forEach(event -> acknowledged.add(event.getId()));
                    } catch (SimulationSink.SendFailure refused) {
                        if (refused.fatal()) {
                            throw refused;
                        }
                        refusedBatches.incrementAndGet();
                    }
                    // Pacing, not waiting for anything: the next batch is simply due later.
                    Thread.sleep(PACE_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "interrupted";
            } catch (RuntimeException e) {
                failure = e.toString();
            }
        }
    }
}
