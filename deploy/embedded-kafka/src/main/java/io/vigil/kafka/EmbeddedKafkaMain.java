package io.vigil.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import sun.misc.Signal;

/**
 * Runs an {@link EmbeddedKafkaBroker} as a process of its own:
 * {@code java -cp 'broker-lib/*' io.vigil.kafka.EmbeddedKafkaMain --data-dir DIR [--port N]
 * [--controller-port N] [--watch-stdin]}, or as one node of a multi-node cluster with
 * {@code --node-id N --cluster-id ID --voters 1@127.0.0.1:P1,2@127.0.0.1:P2,...} in place of
 * {@code --controller-port} (the node's controller port is its entry in the voters).
 *
 * <p>With {@code --secure} the broker is {@link EmbeddedKafkaBroker.Builder#secure() secure} and
 * writes vigil's client settings to {@code --client-properties FILE} (default
 * {@code DIR/client.properties}, owner-only) before it announces itself.
 *
 * <p>Once the broker answers clients, stdout gets exactly one line, {@code bootstrap: 127.0.0.1:PORT};
 * the broker's own logging goes to {@code DIR/broker.log}. The process stops the broker in order
 * and exits 0 on SIGTERM or SIGINT, and with {@code --watch-stdin} also when its stdin reaches
 * end of file (the parent that launched it has died). Bad usage exits 2, a broker that cannot
 * start (port taken, data dir in use) exits 1, each with a message on stderr.
 *
 * <p>Threading: {@link #main} starts and stops the broker on the main thread; the signal handlers
 * and the stdin watcher only release the latch it waits on. A JVM shutdown hook closes the broker
 * when the JVM ends any other way ({@link EmbeddedKafkaBroker#close()} is idempotent).
 */
public final class EmbeddedKafkaMain {

    static final String USAGE =
            "usage: EmbeddedKafkaMain --data-dir DIR [--port N (default 9092)] [--controller-port N (default 0: a free port)"
            + " | --node-id N --cluster-id ID --voters ID@127.0.0.1:PORT,...] [--watch-stdin]"
            + " [--secure [--client-properties FILE]] [--fsync]";
    static final String BOOTSTRAP_PREFIX = "bootstrap: ";

    private static final String LOG_FILE = "broker.log";

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    private static int run(Options options) {
        // Before anything asks for a logger: log4j reads its configuration once, on first use.
        System.setProperty("vigil.kafka.log.file", options.dataDir.resolve(LOG_FILE).toString());
        System.setProperty("log4j2.configurationFile", "classpath:io/vigil/kafka/broker-log4j2.xml");

        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder(options.dataDir).port(options.port);
        if (options.voters != null) {
            builder.cluster(options.nodeId, options.clusterId, options.voters);
        } else {
            builder.controllerPort(options.controllerPort);
        }
        if (options.secure) {
            builder.secure();
        }
        if (options.fsync) {
            // Every append is forced to disk before it is acknowledged, so an acknowledged record survives power loss.
            builder.brokerProperty("log.flush.interval.messages", "1");
        }
        EmbeddedKafkaBroker broker = builder.build();
        CountDownLatch stopRequested = new CountDownLatch(1);
        // A JVM left to its default handling of SIGTERM/SIGINT exits with 143/130 even after clean
        // shutdown hooks; handling them here lets a requested stop end with status 0.
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        // Any other end of the JVM (SIGHUP, an exit from inside Kafka) still stops the broker in order.
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-shutdown"));

        try {
            broker.start();
            if (options.secure) {
                broker.writeClientProperties(options.clientProperties);
            }
        } catch (RuntimeException | IOException e) {
            System.err.println("error: " + e.getMessage());
            broker.close();
            return 1;
        }
        System.out.println(BOOTSTRAP_PREFIX + broker.bootstrapServers());
        System.out.flush();

        if (options.watchStdin) {
            Thread watcher = new Thread(() -> awaitEndOfInput(System.in, stopRequested), "embedded-kafka-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.close();
        return 0;
    }

    private static void awaitEndOfInput(InputStream in, CountDownLatch stopRequested) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) != -1) {
                // Input carries no commands; only its end matters.
            }
        } catch (IOException e) {
            // A broken stdin means the parent is gone just as surely as end of file does.
        }
        stopRequested.countDown();
    }

    /**
     * Parsed command line; {@code voters} (with {@code nodeId} and {@code clusterId}) is null for a
     * single node, {@code clientProperties} null unless {@code secure}.
     */
    record Options(Path dataDir, int port, int controllerPort, boolean watchStdin, int nodeId, String clusterId, QuorumVoters voters,
                   boolean secure, Path clientProperties, boolean fsync) {

        static Options parse(String[] args) {
            Path dataDir = null;
            int port = 9092;
            Integer controllerPort = null;
            boolean watchStdin = false;
            Integer nodeId = null;
            String clusterId = null;
            QuorumVoters voters = null;
            boolean secure = false;
            Path clientProperties = null;
            boolean fsync = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                    case "--port" -> port = port(value(args, ++i, "--port"), "--port");
                    case "--controller-port" -> controllerPort = port(value(args, ++i, "--controller-port"), "--controller-port");
                    case "--watch-stdin" -> watchStdin = true;
                    case "--node-id" -> nodeId = nodeId(value(args, ++i, "--node-id"));
                    case "--cluster-id" -> clusterId = EmbeddedKafkaBroker.Builder.checkClusterId(value(args, ++i, "--cluster-id"));
                    case "--voters" -> voters = QuorumVoters.parse(value(args, ++i, "--voters"));
                    case "--secure" -> secure = true;
                    case "--client-properties" -> clientProperties = Path.of(value(args, ++i, "--client-properties"));
                    case "--fsync" -> fsync = true;
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            if (dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required");
            }
            boolean cluster = nodeId != null || clusterId != null || voters != null;
            if (cluster && (nodeId == null || clusterId == null || voters == null)) {
                throw new IllegalArgumentException("--node-id, --cluster-id and --voters go together");
            }
            if (cluster && controllerPort != null) {
                throw new IllegalArgumentException("--controller-port is for a single node; a cluster node takes its port from --voters");
            }
            if (cluster) {
                voters.controllerPort(nodeId);
            }
            if (!secure && clientProperties != null) {
                throw new IllegalArgumentException("--client-properties goes with --secure");
            }
            if (secure && cluster) {
                throw new IllegalArgumentException("--secure runs a single node, not a node of a cluster");
            }
            return new Options(dataDir, port, controllerPort == null ? 0 : controllerPort, watchStdin,
                    cluster ? nodeId : 0, clusterId, voters, secure,
                    secure && clientProperties == null ? dataDir.resolve("client.properties") : clientProperties, fsync);
        }

        private static int nodeId(String value) {
            try {
                int id = Integer.parseInt(value);
                if (id >= 0) {
                    return id;
                }
            } catch (NumberFormatException e) {
                // Reported below.
            }
            throw new IllegalArgumentException("--node-id must be a number from 0 up, not " + value);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static int port(String value, String option) {
            try {
                int port = Integer.parseInt(value);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // Reported below with the option's name.
            }
            throw new IllegalArgumentException(option + " must be a port number (0-65535), not " + value);
        }
    }
}
