package io.vigil.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import io.vigil.schemas.kafka.KafkaClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A local vigil cluster on 127.0.0.1, every piece a process of its own: three embedded Kafka
 * brokers forming one KRaft quorum (replication factor 3, {@code min.insync.replicas} 2), two
 * aggregators, one ingest with the prober and one projections. {@code vigil dev-cluster} runs it,
 * and the cluster failure test kills and restarts its pieces.
 *
 * <p>Layout under the data dir: {@code kafka/cluster-id} and {@code kafka/node-N} (each broker's
 * data and {@code broker.log}), {@code aggregator-1}, {@code aggregator-2}, {@code ingest} (with
 * the write API's {@code admin-token}), {@code projections}, and {@code logs/NAME.log} for each
 * vigil process's output. A restart on the same data dir and ports finds the same cluster.
 *
 * <p>Threading: one thread drives the cluster (start, kill, restart, close); {@link #close()}
 * may also come from a shutdown hook, so the methods are synchronized.
 */
final class DevCluster implements AutoCloseable {

    static final int BROKERS = 3;
    static final int AGGREGATORS = 2;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Where the pieces listen and keep their data.
     *
     * @param kafkaPorts each broker's client port, node 1 first
     * @param controllerPorts each broker's controller (quorum) port, node 1 first
     * @param aggregatorPorts each aggregator's HTTP port
     * @param kafkaConfig a Kafka client.properties for every vigil process ({@code VIGIL_KAFKA_CONFIG}), or null
     */
    record Layout(Path dataDir, List<Integer> kafkaPorts, List<Integer> controllerPorts, int ingestPort, int projectionsPort,
                  List<Integer> aggregatorPorts, String brokerHeap, String appHeap, Path kafkaConfig) {

        Layout {
            dataDir = dataDir.toAbsolutePath().normalize();
            kafkaConfig = kafkaConfig == null ? null : kafkaConfig.toAbsolutePath().normalize();
            if (kafkaPorts.size() != BROKERS || controllerPorts.size() != BROKERS || aggregatorPorts.size() != AGGREGATORS) {
                throw new IllegalArgumentException("a dev cluster has " + BROKERS + " brokers and " + AGGREGATORS + " aggregators");
            }
        }

        /**
         * Consecutive ports: brokers on {@code kafkaPort} up, their controllers on
         * {@code controllerPort} up, and HTTP on {@code httpPort} (ingest), +1 (projections),
         * +2 and +3 (aggregators).
         */
        static Layout consecutive(Path dataDir, int kafkaPort, int controllerPort, int httpPort, String brokerHeap, String appHeap,
                                  Path kafkaConfig) {
            return new Layout(dataDir, range(kafkaPort, BROKERS), range(controllerPort, BROKERS), httpPort, httpPort + 1,
                    range(httpPort + 2, AGGREGATORS), brokerHeap, appHeap, kafkaConfig);
        }

        /**
         * The environment a vigil process of the cluster gets on top of this one's (whose
         * {@code KAFKA_*} variables it inherits): the cluster's brokers, replication over all
         * three, a stable instance id, and the Kafka client config if one was given.
         */
        Map<String, String> serveEnvironment(String name) {
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
            environment.put("VIGIL_TOPICS_REPLICATION_FACTOR", Integer.toString(BROKERS));
            // Stable across restarts, so a restarted aggregator fences its own earlier transactions.
            environment.put("VIGIL_AGGREGATOR_INSTANCE_ID", name);
            if (kafkaConfig != null) {
                environment.put(KafkaClientConfig.FILE_VARIABLE, kafkaConfig.toString());
            }
            return environment;
        }

        String bootstrapServers() {
            return kafkaPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
        }

        String voters() {
            return IntStream.range(0, BROKERS).mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
                    .collect(Collectors.joining(","));
        }

        private static List<Integer> range(int first, int count) {
            if (first < 1 || first + count - 1 > 65535) {
                throw new BadInputException("ports " + first + " to " + (first + count - 1) + " are not all from 1 to 65535");
            }
            return IntStream.range(first, first + count).boxed().toList();
        }
    }

    private final Path appHome;
    private final Layout layout;
    private final String clusterId;
    private final EmbeddedBrokerProcess[] brokers = new EmbeddedBrokerProcess[BROKERS];
    private final ServeProcess[] aggregators = new ServeProcess[AGGREGATORS];
    private ServeProcess ingest;
    private ServeProcess projections;

    private DevCluster(Path appHome, Layout layout, String clusterId) {
        this.appHome = appHome;
        this.layout = layout;
        this.clusterId = clusterId;
    }

    /**
     * Starts the brokers side by side (each is ready only once a quorum of them runs), then the
     * vigil processes, and waits until every one is ready. On failure stops what it started.
     */
    static DevCluster start(Path appHome, Layout layout) throws IOException, InterruptedException {
        DevCluster cluster = new DevCluster(appHome, layout, clusterId(layout.dataDir().resolve("kafka")));
        boolean started = false;
        try {
            for (int node = 1; node <= BROKERS; node++) {
                cluster.brokers[node - 1] = cluster.launchBroker(node);
            }
            for (EmbeddedBrokerProcess broker : cluster.brokers) {
                broker.awaitReady();
            }
            for (int i = 1; i <= AGGREGATORS; i++) {
                cluster.aggregators[i - 1] = cluster.launchAggregator(i);
            }
            cluster.ingest = cluster.launchServe("ingest", "ingest,prober", layout.ingestPort());
            cluster.projections = cluster.launchServe("projections", "projections", layout.projectionsPort());
            for (ServeProcess serve : cluster.serveProcesses()) {
                serve.awaitReady(READY_TIMEOUT);
            }
            started = true;
            return cluster;
        } finally {
            if (!started) {
                cluster.close();
            }
        }
    }

    String bootstrapServers() {
        return layout.bootstrapServers();
    }

    ServeProcess ingest() {
        return ingest;
    }

    ServeProcess projections() {
        return projections;
    }

    /** The write API's admin token file, which the ingest process creates on its first start. */
    Path tokenFile() {
        return layout.dataDir().resolve("ingest").resolve("admin-token");
    }

    /** SIGKILLs broker {@code node} (1 to 3). */
    synchronized void killBroker(int node) throws InterruptedException {
        brokers[node - 1].kill();
    }

    /** Starts broker {@code node} again on its data dir and ports and waits until it serves. */
    synchronized void restartBroker(int node) throws IOException {
        brokers[node - 1] = launchBroker(node).awaitReady();
    }

    /** SIGKILLs aggregator {@code i} (1 or 2). */
    synchronized void killAggregator(int i) throws InterruptedException {
        aggregators[i - 1].kill();
    }

    /** Starts aggregator {@code i} again on its data dir and port and waits until it is ready. */
    synchronized void restartAggregator(int i) throws IOException, InterruptedException {
        aggregators[i - 1] = launchAggregator(i).awaitReady(READY_TIMEOUT);
    }

    /**
     * Stops the vigil processes (side by side), then the brokers (side by side too: a broker
     * stopped after the others would have no quorum left to approve its controlled shutdown).
     * Idempotent.
     */
    @Override
    public synchronized void close() throws InterruptedException {
        List<ServeProcess> serves = serveProcesses();
        serves.forEach(ServeProcess::requestStop);
        for (ServeProcess serve : serves) {
            serve.close();
        }
        List<EmbeddedBrokerProcess> running = Arrays.stream(brokers).filter(Objects::nonNull).toList();
        running.forEach(EmbeddedBrokerProcess::requestStop);
        running.forEach(EmbeddedBrokerProcess::close);
    }

    private List<ServeProcess> serveProcesses() {
        List<ServeProcess> serves = new ArrayList<>(Arrays.asList(aggregators));
        serves.add(ingest);
        serves.add(projections);
        serves.removeIf(Objects::isNull);
        return serves;
    }

    private EmbeddedBrokerProcess launchBroker(int node) throws IOException {
        Path dir = layout.dataDir().resolve("kafka").resolve("node-" + node);
        return EmbeddedBrokerProcess.launch(AppHome.embeddedKafkaLib(appHome), dir, layout.brokerHeap(),
                List.of("--port", Integer.toString(layout.kafkaPorts().get(node - 1)), "--node-id", Integer.toString(node),
                        "--cluster-id", clusterId, "--voters", layout.voters()), false);
    }

    private ServeProcess launchAggregator(int i) throws IOException {
        return launchServe("aggregator-" + i, "aggregator", layout.aggregatorPorts().get(i - 1));
    }

    private ServeProcess launchServe(String name, String roles, int port) throws IOException {
        return ServeProcess.launch(name, appHome, layout.appHeap(),
                List.of("--roles", roles, "--data-dir", layout.dataDir().resolve(name).toString()),
                port, layout.serveEnvironment(name), layout.dataDir().resolve("logs").resolve(name + ".log"));
    }

    /** The cluster's id, made on the first start and kept beside the brokers' data so that every node is formatted with it. */
    private static String clusterId(Path kafkaDir) throws IOException {
        Path file = kafkaDir.resolve("cluster-id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        Files.createDirectories(kafkaDir);
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
        return id;
    }
}
