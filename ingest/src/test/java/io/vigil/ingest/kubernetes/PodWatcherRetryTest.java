package io.vigil.ingest.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vigil.ingest.DirectEventLog;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** While the API server fails every request, the watcher is not synced and keeps trying. */
@ExtendWith(EmbeddedKafkaExtension.class)
class PodWatcherRetryTest {

    @Test
    void anApiServerThatDropsEveryConnectionLeavesTheWatcherUnsyncedAndRetrying() throws Exception {
        CountDownLatch attempts = new CountDownLatch(3);
        try (ServerSocket apiServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread dropper = new Thread(() -> dropConnections(apiServer, attempts), "api-server-that-drops");
            dropper.setDaemon(true);
            dropper.start();
            Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + apiServer.getLocalPort())
                    .withRequestRetryBackoffLimit(0).build();
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
                 PodWatcher watcher = new PodWatcher(client, new PodWatcherSettings(List.of(), Optional.empty(), Duration.ofMinutes(10)),
                         new DirectEventLog(new KafkaClients(KafkaSettings.of(EmbeddedKafkaExtension.bootstrapServers()))), Clock.systemUTC()).start()) {

                assertThat(attempts.await(60, TimeUnit.SECONDS)).as("the informer tried again after failures").isTrue();
                assertThat(watcher.synced()).isFalse();
            }
        }
    }

    private static void dropConnections(ServerSocket apiServer, CountDownLatch attempts) {
        while (!apiServer.isClosed()) {
            try (Socket connection = apiServer.accept()) {
                attempts.countDown();
            } catch (IOException closed) {
                return;
            }
        }
    }
}
