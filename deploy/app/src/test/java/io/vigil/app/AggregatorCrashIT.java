package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.aggregator.bench.FleetEvents;
import io.vigil.aggregator.runtime.ChangeTopics;
import io.vigil.aggregator.runtime.PipelineHarness;
import io.vigil.aggregator.runtime.ReplayAssertions;
import io.vigil.avro.DataplaneEvent;
import io.vigil.kafka.EmbeddedKafkaExtension;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
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

    private static final Path APP = Path.of("target", "quarkus-app");
    private static final int KILLS = 10;

    @TempDir
    Path dataDir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void killedTenTimesItLosesAndDuplicatesNothing() throws Exception {
        assertThat(APP.resolve("quarkus-run.jar")).as("the packaged runnable (failsafe runs after package)").exists();
        FleetEvents fleet = new FleetEvents("crash-", 300, 3, 17);
        List<DataplaneEvent> events = new ArrayList<>(fleet.bootstrap());
        events.addAll(fleet.steady(60_000));
        String kafka = EmbeddedKafkaExtension.bootstrapServers();
        Random random = new Random(42);
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

            int port = freePort();
            for (int kill = 0; kill < KILLS; kill++) {
                Process aggregator = startAggregator(kafka, port, kill);
                awaitReady(port, aggregator);
                pause(200 + random.nextInt(1500));
                aggregator.destroyForcibly();
                assertThat(aggregator.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
            feeder.join();
            Process last = startAggregator(kafka, port, KILLS);
            awaitReady(port, last);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(harness::caughtUp);
            last.destroy();
            assertThat(last.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(sent.get()).isEqualTo(events.size());
        }

        ReplayAssertions.assertFollowerSawTheReplay(ChangeTopics.read(kafka).onlyMeshesStartingWith("crash-"), events);
    }

    private Process startAggregator(String kafka, int port, int run) throws IOException {
        Path log = dataDir.resolve("aggregator-" + run + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvigil.home=" + APP.toAbsolutePath(), "-jar", APP.resolve("quarkus-run.jar").toAbsolutePath().toString(),
                "serve", "--roles", "aggregator", "--bootstrap-server", kafka, "--data-dir", dataDir.resolve("data").toString(),
                "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }

    private static void awaitReady(int port, Process process) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the aggregator exited with status " + process.exitValue());
            }
            return status("http://127.0.0.1:" + port + "/q/health/ready") == 200;
        });
    }

    private static int status(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            return connection.getResponseCode();
        } catch (IOException notYet) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
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
