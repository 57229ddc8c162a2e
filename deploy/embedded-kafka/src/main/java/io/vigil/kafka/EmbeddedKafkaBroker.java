package io.vigil.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka node in KRaft mode: one {@link KafkaRaftServer} that is both broker and
 * controller, listening on 127.0.0.1 only. Alone (the default) it is a single-node cluster (node
 * id 1, static {@code controller.quorum.voters}); with {@link Builder#cluster} it is one node of a
 * multi-node cluster whose nodes all run this class (each in a process of its own, so that each
 * can be killed and restarted alone) and share the cluster id and the voters.
 *
 * <p>In a cluster of n nodes, the internal topics and new topics get n replicas (at most 3) and
 * {@code min.insync.replicas} is 2 (1 for a single node): an acknowledged write survives the loss
 * of any one node.
 *
 * <p>The data directory holds the broker's state across restarts: it is formatted (with a new
 * cluster id) only the first time, so a new instance on the same directory and port finds the
 * same cluster, topics and records. Only one broker at a time may use a data directory.
 *
 * <p>Layout of the data directory: {@code .broker.lock} (locked while a broker runs) and
 * {@code kraft/} (Kafka's {@code log.dirs}, which also holds the metadata log). Kafka gets a
 * subdirectory of its own because it refuses to start when its log directory holds a directory it
 * cannot parse as a partition, and the directory also takes other files (EmbeddedKafkaMain's log,
 * and {@code security/} of a secure broker).
 *
 * <p>A {@link Builder#secure secure} broker has no plaintext listener: clients connect with
 * SASL_SSL (SCRAM-SHA-512 over TLS, a certificate from a CA of its own), the controller listener
 * takes TLS with client certificates, and KRaft's {@code StandardAuthorizer} enforces ACLs. Its
 * users are made when the directory is formatted: the broker's own (a super user) and vigil's,
 * whose ACLs are {@link VigilAcls} and whose client settings are {@link #clientProperties()}
 * ({@link BrokerSecurity}). A directory stays what it was first started as: secure or not.
 *
 * <p>Threading: {@link #start()} and {@link #close()} may be called from any thread and are
 * serialized on the instance; {@link #start()} blocks until the broker answers clients and
 * {@link #close()} until it has shut down. An instance is started at most once; restart by
 * building a new instance on the same data directory. {@link #bootstrapServers()} and
 * {@link #port()} may be read from any thread once {@link #start()} has returned.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final String LOCK_FILE = ".broker.lock";
    private static final String KAFKA_LOG_DIR = "kraft";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int SINGLE_NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String SECURE_LISTENER = "SECURE";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String SECURITY_DIR = "security";
    /** Bounds both Kafka's own start-up and the wait for the first client answer. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** Properties that define the broker's identity and addresses; extra properties may not override them. */
    private static final Set<String> RESERVED = Set.of(
            "process.roles", "node.id", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "controller.listener.names", "listeners", "advertised.listeners", "listener.security.protocol.map",
            "inter.broker.listener.name", "log.dirs", "log.dir", "metadata.log.dir",
            "authorizer.class.name", "super.users", "allow.everyone.if.no.acl.found", "sasl.enabled.mechanisms",
            "sasl.mechanism.inter.broker.protocol");

    private enum State { NEW, STARTED, CLOSED }

    private final Path dataDir;
    private final int requestedPort;
    private final int requestedControllerPort;
    private final Map<String, String> extraProperties;
    private final int nodeId;
    private final String clusterId;
    private final QuorumVoters voters;
    /** Where a secure broker keeps its security; null for a plaintext one. */
    private final Path securityDir;

    // Guarded by this.
    private State state = State.NEW;
    private FileChannel lockChannel;
    private KafkaRaftServer server;
    private volatile int port;
    private volatile BrokerSecurity security;

    private EmbeddedKafkaBroker(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath().normalize();
        this.requestedPort = builder.port;
        this.requestedControllerPort = builder.controllerPort;
        this.extraProperties = Map.copyOf(builder.extraProperties);
        this.nodeId = builder.nodeId;
        this.clusterId = builder.clusterId;
        this.voters = builder.voters;
        this.securityDir = builder.secure ? dataDir.resolve(SECURITY_DIR) : null;
    }

    /** A builder for a broker keeping its state in {@code dataDir} (created if missing). */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /**
     * Formats the data directory if it was never formatted, starts the broker and waits until it
     * answers an Admin {@code describeCluster}.
     *
     * @return this broker, started
     * @throws IllegalStateException if the data directory is in use by another broker, if it was
     *         first started secure and this broker is not or the other way round, if the broker
     *         fails to start (for instance because a port is taken) or does not answer in time, or
     *         if this instance was already started
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (state != State.NEW) {
            throw new IllegalStateException("broker on " + dataDir + " was already started; build a new one to restart");
        }
        state = State.STARTED;
        lockDataDir();
        boolean started = false;
        try {
            port = requestedPort == 0 ? freePort() : checkFree(requestedPort);
            int controllerPort = voters != null ? checkFree(voters.controllerPort(nodeId))
                    : requestedControllerPort == 0 ? freePort() : checkFree(requestedControllerPort);
            Path logDir = dataDir.resolve(KAFKA_LOG_DIR);
            checkSecurityMode(logDir);
            security = securityDir == null ? null : BrokerSecurity.createOrLoad(securityDir);
            formatIfNeeded(logDir);
            server = new KafkaRaftServer(new KafkaConfig(config(logDir, controllerPort), true), Time.SYSTEM);
            server.startup();
            awaitReady();
            started = true;
            return this;
        } catch (IllegalStateException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka broker on " + dataDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker on " + dataDir + " failed to start: " + describe(e), e);
        } finally {
            if (!started) {
                shutDown();
            }
        }
    }

    /** The address for clients, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return HOST + ":" + port();
    }

    /** The port clients connect to; pass it to a new broker on the same data directory to restart at the same address. */
    public int port() {
        if (port == 0) {
            throw new IllegalStateException("broker on " + dataDir + " has not been started");
        }
        return port;
    }

    /**
     * A ready-to-use client configuration (with {@code bootstrap.servers}) for vigil's principal on
     * this secure broker; its values include a password. Only once {@link #start()} has returned.
     *
     * @throws IllegalStateException if the broker is not secure
     */
    public Map<String, String> clientProperties() {
        if (security == null) {
            throw new IllegalStateException("broker on " + dataDir + " is not secure: its clients need only " + bootstrapServers());
        }
        return security.clientProperties(bootstrapServers());
    }

    /**
     * Writes {@link #clientProperties()} as a client.properties file, readable by its owner only
     * and replaced atomically.
     */
    public void writeClientProperties(Path file) throws IOException {
        OwnerOnlyFiles.write(file, OwnerOnlyFiles.properties(
                "vigil's Kafka client settings for the secure embedded broker at " + bootstrapServers()
                        + " (vigil serve --kafka-config FILE). Secret: keep it owner-only.", clientProperties()));
    }

    /** Shuts the broker down in order and waits for it; does nothing if it is not running. */
    @Override
    public synchronized void close() {
        if (state == State.STARTED) {
            shutDown();
        }
        state = State.CLOSED;
    }

    private void lockDataDir() {
        try {
            Files.createDirectories(dataDir);
            lockChannel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                // Kafka locks its log dir too, but only midway through start-up, after this broker
                // would have formatted the directory and bound its controller port: fail first.
                throw new IllegalStateException("data dir " + dataDir + " is in use by another broker");
            }
        } catch (IOException e) {
            releaseLock();
            throw new UncheckedIOException("cannot lock data dir " + dataDir + ": " + e, e);
        } catch (RuntimeException e) {
            releaseLock();
            throw e;
        }
    }

    /**
     * A directory formatted without users cannot become secure (its users are made at format time),
     * and a secure one must not be opened to plaintext clients without ACLs.
     */
    private void checkSecurityMode(Path logDir) {
        boolean formatted = Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME));
        Path ownSecurity = dataDir.resolve(SECURITY_DIR);
        if (securityDir == null && BrokerSecurity.existsIn(ownSecurity)) {
            throw new IllegalStateException("data dir " + dataDir + " holds a secure broker (TLS, SCRAM users, ACLs in " + ownSecurity
                    + "): start it secure (vigil kafka --secure)");
        }
        if (securityDir != null && formatted && !BrokerSecurity.existsIn(securityDir)) {
            throw new IllegalStateException("data dir " + dataDir + " holds a broker first started without security: it has no SCRAM users "
                    + "or certificates; start a secure broker on a new data dir");
        }
    }

    private void formatIfNeeded(Path logDir) throws Exception {
        // meta.properties is what Kafka itself reads to decide a directory is formatted. Formatting
        // again with a fresh cluster id would fail (Formatter verifies the id even when told to
        // ignore formatted directories), so it only happens once per data dir.
        if (Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            return;
        }
        // The Formatter reports on a PrintStream (System.out by default); a process that announces
        // itself on stdout must not get these lines there, so they go to the log instead.
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        new Formatter()
                .setPrintStream(new PrintStream(report, true, StandardCharsets.UTF_8))
                .setNodeId(nodeId)
                .setClusterId(clusterId != null ? clusterId : Uuid.randomUuid().toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(logDir.toString())
                .addDirectory(logDir.toString())
                .setScramArguments(security != null ? security.scramArguments() : List.of())
                .run();
        // Only the "Formatting ..." lines: the report also prints the bootstrap records, among them
        // the SCRAM users' salted keys.
        String formatting = report.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("Formatting"))
                .collect(Collectors.joining("; "));
        LOG.info("Formatted {}: {}", logDir, formatting);
    }

    private Map<String, String> config(Path logDir, int controllerPort) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(nodeId));
        config.put("controller.quorum.voters", voters != null ? voters.toString() : nodeId + "@" + HOST + ":" + controllerPort);
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        String listener = security != null ? SECURE_LISTENER : BROKER_LISTENER;
        config.put("listeners", listener + "://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        config.put("listener.security.protocol.map", security != null
                ? SECURE_LISTENER + ":SASL_SSL," + CONTROLLER_LISTENER + ":SSL"
                : BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        config.put("inter.broker.listener.name", listener);
        config.put("log.dirs", logDir.toString());
        // Every internal topic must fit on the nodes there are; with more than one, a write must
        // reach two of them so that losing any one node loses nothing acknowledged.
        int nodes = voters != null ? voters.size() : 1;
        String replicas = Integer.toString(Math.min(3, nodes));
        String minInSync = Integer.toString(Math.min(2, nodes));
        config.put("offsets.topic.replication.factor", replicas);
        config.put("transaction.state.log.replication.factor", replicas);
        config.put("transaction.state.log.min.isr", minInSync);
        config.put("share.coordinator.state.topic.replication.factor", replicas);
        config.put("share.coordinator.state.topic.min.isr", minInSync);
        config.put("default.replication.factor", replicas);
        config.put("min.insync.replicas", minInSync);
        // More partitions of the internal topics only cost creation time on a local broker, and
        // tests pay that time on every fresh one.
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.num.partitions", "1");
        // Topics are created on purpose, never by a typo in a client.
        config.put("auto.create.topics.enable", "false");
        config.put("num.partitions", "1");
        // A consumer group joins at once instead of waiting 3 s for more members.
        config.put("group.initial.rebalance.delay.ms", "0");
        // Small segments so compaction and retention act on test-sized data; the cleaner's
        // dedupe buffer (128 MiB of heap by default) sized to match, as tests share the JVM.
        config.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        config.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        // Without a limit Kafka waits forever for its own start-up (e.g. for the controller quorum).
        config.put("server.max.startup.time.ms", Long.toString(READY_TIMEOUT.toMillis()));
        if (security != null) {
            config.putAll(security.brokerProperties(SECURE_LISTENER, CONTROLLER_LISTENER));
        }
        config.putAll(extraProperties);
        return config;
    }

    /** Waits for the broker to answer; a secure one then gets vigil's ACLs, set as the broker's own super user. */
    private void awaitReady() throws InterruptedException {
        String bootstrap = bootstrapServers();
        Map<String, Object> adminConfig = new HashMap<>();
        if (security != null) {
            adminConfig.putAll(security.brokerClientProperties(bootstrap));
        }
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(adminConfig)) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (security != null) {
                VigilAcls.apply(admin, BrokerSecurity.VIGIL_PRINCIPAL, READY_TIMEOUT);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka broker at " + bootstrap + " (data dir " + dataDir
                    + ") did not answer describeCluster" + (security != null ? " and set vigil's ACLs" : "") + " within "
                    + READY_TIMEOUT.toSeconds() + " s: " + e, e);
        }
    }

    private void shutDown() {
        try {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
                server = null;
            }
        } finally {
            releaseLock();
        }
    }

    private void releaseLock() {
        if (lockChannel != null) {
            try {
                // Closing the channel releases the lock; the file stays, so no other broker can race
                // between its deletion and re-creation.
                lockChannel.close();
            } catch (IOException e) {
                LOG.warn("Could not release lock on {}", dataDir, e);
            }
            lockChannel = null;
        }
    }

    /**
     * Kafka reports a failure as a chain of wrappers whose useful part is deep down (e.g. "Received a
     * fatal error while waiting for all of the SocketServer Acceptors to be started" around "Socket
     * server failed to bind to 127.0.0.1:9092"): one line with each message the ones before it lack.
     */
    private static String describe(Throwable failure) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
            if (line.indexOf(message) < 0) {
                line.append(line.length() == 0 ? "" : "; ").append(message);
            }
        }
        return line.toString();
    }

    private static int checkFree(int port) throws IOException {
        // Kafka binds the client port late in its start-up, after the controller is up, and then
        // takes seconds to unwind; a port that is taken now is reported at once instead.
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(HOST, port));
        } catch (BindException e) {
            throw new IllegalStateException("port " + port + " on " + HOST + " is already in use");
        }
        return port;
    }

    private static int freePort() throws IOException {
        // The controller port must be known before start-up (it is in controller.quorum.voters);
        // the port is free now, and Kafka binds it a moment later.
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(HOST, 0));
            return socket.getLocalPort();
        }
    }

    /**
     * Configures an {@link EmbeddedKafkaBroker}. Not thread-safe: build on one thread.
     */
    public static final class Builder {
        private final Path dataDir;
        private int port;
        private int controllerPort;
        private final Map<String, String> extraProperties = new HashMap<>();
        private int nodeId = SINGLE_NODE_ID;
        private String clusterId;
        private QuorumVoters voters;
        private boolean secure;

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /** The client port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** The controller port on 127.0.0.1 of a single node; 0 (the default) picks a free one. A cluster node takes its own from the voters. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort);
            return this;
        }

        /**
         * A broker property on top of the single-node defaults (which it overrides). Properties
         * that define the broker's roles, listeners or directories are fixed and rejected here.
         */
        public Builder brokerProperty(String name, String value) {
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException(name + " is set by EmbeddedKafkaBroker itself");
            }
            extraProperties.put(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Makes this broker node {@code nodeId} of a multi-node cluster: its controller port is its
         * entry in {@code voters}, and its data directory, if not formatted yet, is formatted with
         * {@code clusterId}, which every node of the cluster must share.
         *
         * @throws IllegalArgumentException if {@code nodeId} is not one of the voters or the
         *         cluster id is not a Kafka cluster id (22 characters of base64url)
         */
        public Builder cluster(int nodeId, String clusterId, QuorumVoters voters) {
            voters.controllerPort(nodeId);
            checkClusterId(clusterId);
            this.nodeId = nodeId;
            this.clusterId = clusterId;
            this.voters = voters;
            return this;
        }

        /**
         * Makes the broker secure (see the class comment), its security in {@code security/} of
         * its data dir, made on the first start. Single nodes only: each would have a CA of its own.
         */
        public Builder secure() {
            this.secure = true;
            return this;
        }

        /**
         * A broker that is not started yet.
         *
         * @throws IllegalArgumentException for a secure node of a cluster
         */
        public EmbeddedKafkaBroker build() {
            if (secure && voters != null) {
                throw new IllegalArgumentException("a secure broker is a single node, not a node of a cluster");
            }
            return new EmbeddedKafkaBroker(this);
        }

        /** @throws IllegalArgumentException if {@code clusterId} is not 22 characters of base64url, as Kafka's cluster ids are */
        static String checkClusterId(String clusterId) {
            try {
                Uuid.fromString(clusterId);
                return clusterId;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cluster id '" + clusterId + "' is not a Kafka cluster id (22 characters of base64url)", e);
            }
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }
    }
}
