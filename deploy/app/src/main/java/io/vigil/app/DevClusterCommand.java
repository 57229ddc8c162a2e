package io.vigil.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil dev-cluster}: a {@link DevCluster} on this machine until Ctrl-C or SIGTERM, which
 * stop the vigil processes first and the brokers last. Plain Java, like {@code vigil kafka}: the
 * pieces are child processes.
 */
@Command(name = "dev-cluster", mixinStandardHelpOptions = true,
        description = "Runs a local cluster on 127.0.0.1: 3 Kafka brokers (replication factor 3, min.insync.replicas 2), "
                + "2 aggregators, ingest with the prober, and projections, each a process; Ctrl-C stops them all.")
final class DevClusterCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".vigil-cluster",
            description = "Where the cluster keeps its data and logs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", paramLabel = "N", defaultValue = "9092",
            description = "Client port of broker 1; brokers 2 and 3 take the next two (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--controller-port", paramLabel = "N", defaultValue = "9192",
            description = "Quorum port of broker 1; brokers 2 and 3 take the next two (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "8080",
            description = "HTTP port of ingest; projections take N+1, the aggregators N+2 and N+3 (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--kafka-heap", paramLabel = "SIZE", defaultValue = "512m",
            description = "Maximum heap of each broker (default: ${DEFAULT-VALUE}).")
    String kafkaHeap;

    @Option(names = "--app-heap", paramLabel = "SIZE", defaultValue = "512m",
            description = "Maximum heap of each vigil process (default: ${DEFAULT-VALUE}).")
    String appHeap;

    /** Handed to every vigil process, which merges it as vigil serve does; the address is always the cluster's. */
    @Mixin
    KafkaConfigOption kafkaConfig;

    @Override
    public Integer call() throws Exception {
        EmbeddedBrokerOptions.checkHeap("--kafka-heap", kafkaHeap);
        EmbeddedBrokerOptions.checkHeap("--app-heap", appHeap);
        DevCluster.Layout layout = DevCluster.Layout.consecutive(dataDir, kafkaPort, controllerPort, httpPort, kafkaHeap, appHeap,
                kafkaConfig.given() ? kafkaConfig.file : null);
        // Only to refuse an unreadable file before anything starts: each vigil process reads it itself.
        kafkaConfig.properties(null);
        try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
            System.out.println("starting 3 brokers, 2 aggregators, ingest and projections; data and logs in " + layout.dataDir());
            DevCluster cluster = DevCluster.start(AppHome.home(), layout);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("stopping the vigil processes, then the brokers");
                try {
                    cluster.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stopped.countDown();
            }, "vigil-dev-cluster-stop"));
            System.out.println("kafka: " + cluster.bootstrapServers());
            System.out.println("ingest (write API): " + cluster.ingest().url() + "/api/v1/events");
            System.out.println("projections (read API): " + cluster.projections().url() + "/api/v1/state");
            // The token itself stays in its file: terminals get recorded and logs get shared.
            System.out.println("admin token: in " + cluster.tokenFile());
            System.out.println("ready; Ctrl-C stops the cluster");
            stopped.await();
            return ExitCodes.OK;
        }
    }
}
