package io.vigil.app;

import io.quarkus.runtime.Quarkus;
import io.vigil.schemas.GoDuration;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil serve}: runs the chosen roles in one Quarkus process. Without a configured Kafka
 * it starts the embedded broker under the data dir first and stops it last, after the roles
 * have flushed and committed what they hold.
 *
 * <p>The Kafka client properties are merged once ({@link KafkaConfigOption}) and handed to
 * {@link KafkaConnection} before Quarkus starts, which gives them to SmallRye's channel and to every
 * plain client alike.
 */
@Command(name = "serve", description = "Runs vigil's roles (all but k8s-watcher by default).", mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {

    private static final String BOOTSTRAP = "bootstrap.servers";
    private static final String SECURITY_PROTOCOL = "security.protocol";
    private static final String VIGIL_KAFKA_PREFIX = "vigil.kafka.";

    @Option(names = "--roles", split = ",", paramLabel = "ROLE", defaultValue = "${env:VIGIL_ROLES:-" + Role.DEFAULT_NAMES + "}",
            description = "Roles to run: ingest, prober, aggregator, projections, k8s-watcher (env VIGIL_ROLES; default: ${DEFAULT-VALUE}).")
    List<String> roles;

    @Option(names = "--port", paramLabel = "N", defaultValue = "${env:VIGIL_PORT:-8080}",
            description = "HTTP port on 127.0.0.1 (env VIGIL_PORT; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:VIGIL_DATA_DIR:-.vigil}",
            description = "Where vigil keeps its data (env VIGIL_DATA_DIR; default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--tokens-file", paramLabel = "FILE", defaultValue = "${env:VIGIL_TOKENS_FILE}",
            description = "Tokens for the API (env VIGIL_TOKENS_FILE); without it an admin token is created in the data dir.")
    Path tokensFile;

    @Option(names = "--require-read-token",
            description = "Reads (REST, live stream, history) need a bearer token too; a mesh-scoped token reads only its meshes "
                    + "(env VIGIL_REQUIRE_READ_TOKEN=true).")
    boolean requireReadToken;

    @Option(names = "--stale-after", paramLabel = "DURATION",
            description = "Delete a dataplane disconnected longer than this (Go syntax, e.g. 72h) through a dataplane-deleted event "
                    + "in the event log; off by default (env VIGIL_INGEST_STALE_AFTER).")
    String staleAfter;

    @Option(names = "--allowed-hosts", split = ",", paramLabel = "HOST",
            description = "Answer only requests whose Host is one of these; others get 421 (env VIGIL_HTTP_ALLOWED_HOSTS).")
    List<String> allowedHosts;

    @Mixin
    TlsOptions tls;

    @Option(names = "--schema-registry", paramLabel = "URL", defaultValue = "${env:VIGIL_SCHEMA_REGISTRY_URL}",
            description = "Registry mode: register the product topics' Avro schemas in this schema registry's Confluent-compatible API "
                    + "(Apicurio 3: http://HOST:8080/apis/ccompat/v7) and write their values in its wire format (env: VIGIL_SCHEMA_REGISTRY_URL).")
    String schemaRegistry;

    @Option(names = "--otlp-endpoint", paramLabel = "URL", defaultValue = "${env:VIGIL_OTLP_ENDPOINT}",
            description = "Trace each POST through the event log, both stages and the change records it causes, and send the spans "
                    + "to this OpenTelemetry collector (OTLP over gRPC, e.g. http://127.0.0.1:4317); off by default (env VIGIL_OTLP_ENDPOINT).")
    String otlpEndpoint;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka to use (env KAFKA_BOOTSTRAP_SERVERS); without it vigil starts its embedded broker.")
    String bootstrapServers;

    @Mixin
    KafkaConfigOption kafkaConfig;

    @Mixin
    EmbeddedBrokerOptions broker;

    @Override
    public Integer call() throws Exception {
        Set<Role> selected = Role.parse(roles);
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port must be from 0 to 65535, got " + port);
        }
        if (staleAfter != null) {
            try {
                System.setProperty("vigil.ingest.stale-after", Duration.ofMillis(GoDuration.parseMillis(staleAfter)).toString());
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--stale-after must be a positive duration such as 72h or 90m, got '" + staleAfter + "': "
                        + e.getMessage());
            }
        }
        URI traces = otlpEndpoint == null ? null : otlpEndpoint(otlpEndpoint);
        Map<String, String> https = tls.quarkusProperties(port);
        Map<String, String> kafka = new TreeMap<>(kafkaConfig.properties(bootstrapServers));
        boolean external = kafka.containsKey(BOOTSTRAP);
        if (!external) {
            refuseSecurityWithoutAddress(kafka);
        }
        try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
            EmbeddedBrokerProcess embedded = null;
            if (!external) {
                Path brokerDir = dataDir.resolve("kafka").toAbsolutePath();
                System.out.println("no Kafka configured: starting the embedded broker, data in " + brokerDir);
                embedded = EmbeddedBrokerProcess.start(brokerDir, broker, List.of(), false);
                kafka.put(BOOTSTRAP, embedded.bootstrapServers());
            }
            System.out.println("kafka: " + kafka.get(BOOTSTRAP) + (embedded != null ? " (embedded)" : "")
                    + (kafkaConfig.given() ? " (client settings from " + kafkaConfig.file.toAbsolutePath() + ")" : ""));
            System.out.println("data: " + dataDir.toAbsolutePath());
            if (traces != null) {
                System.out.println("traces: to " + traces.getScheme() + "://" + traces.getHost() + (traces.getPort() < 0 ? "" : ":" + traces.getPort()));
            }
            configure(selected, kafka, https, traces);
            return runUntilStopped(embedded);
        }
    }

    /**
     * The embedded broker of {@code vigil serve} is plaintext: client settings for TLS or SASL
     * without an address can only mean the address was forgotten.
     */
    private static void refuseSecurityWithoutAddress(Map<String, String> kafka) {
        String protocol = kafka.getOrDefault(SECURITY_PROTOCOL, "PLAINTEXT");
        if (!protocol.equalsIgnoreCase("PLAINTEXT")) {
            throw new BadInputException(SECURITY_PROTOCOL + "=" + protocol + " is set but no Kafka address: give --bootstrap-server, "
                    + "KAFKA_BOOTSTRAP_SERVERS or bootstrap.servers in --kafka-config (vigil serve's own broker is plaintext; "
                    + "vigil kafka --secure runs a secured one)");
        }
    }

    /** The collector to send traces to: an http or https URL with a host. */
    static URI otlpEndpoint(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new BadInputException("--otlp-endpoint must be the http or https URL of an OTLP collector, such as http://127.0.0.1:4317");
        }
        return uri;
    }

    private void configure(Set<Role> selected, Map<String, String> kafka, Map<String, String> https, URI traces) {
        KafkaConnection.use(kafka);
        // Merged now; left in place, Quarkus would refuse them as vigil.* settings it does not know.
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(VIGIL_KAFKA_PREFIX))
                .forEach(System::clearProperty);
        // Also where Quarkus' Kafka extension looks: without it, it assumes localhost:9092.
        System.setProperty("kafka.bootstrap.servers", kafka.get(BOOTSTRAP));
        System.setProperty("quarkus.http.port", Integer.toString(port));
        System.setProperty("vigil.roles", selected.stream().map(Role::cliName).collect(Collectors.joining(",")));
        System.setProperty("vigil.data-dir", dataDir.toAbsolutePath().toString());
        if (tokensFile != null) {
            System.setProperty("vigil.tokens-file", tokensFile.toAbsolutePath().toString());
        }
        if (requireReadToken) {
            System.setProperty("vigil.require-read-token", "true");
        }
        if (schemaRegistry != null) {
            System.setProperty("vigil.schema-registry.url", schemaRegistry);
        }
        if (traces != null) {
            System.setProperty("quarkus.otel.sdk.disabled", "false");
            System.setProperty("quarkus.otel.exporter.otlp.traces.endpoint", traces.toString());
        }
        if (allowedHosts != null) {
            System.setProperty("vigil.http.allowed-hosts", String.join(",", allowedHosts));
        }

        https.forEach(System::setProperty);
    }

    /**
     * Runs Quarkus until Ctrl-C, SIGTERM, a start-up failure or the embedded broker's death. On a
     * signal the JVM runs its shutdown hooks side by side, so the broker's hook waits for the
     * application to have stopped. A broker that dies under vigil stops vigil with status 1: every
     * role depends on it, and a supervisor (systemd, Kubernetes) restarts the pair from its data dir.
     */
    private int runUntilStopped(EmbeddedBrokerProcess broker) {
        CountDownLatch applicationStopped = new CountDownLatch(1);
        if (broker != null) {
            broker.died().thenAccept(status -> {
                System.err.println("vigil: the embedded Kafka broker exited unexpectedly (status " + status
                        + "); stopping with status 1 (restart vigil: its data is kept in the data dir)");
                Quarkus.asyncExit(1);
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    applicationStopped.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                broker.close();
            }, "vigil-embedded-kafka-stop"));
        }
        AtomicInteger exit = new AtomicInteger();
        try {
            Quarkus.run(VigilApplication.class, (status, failure) -> {
                exit.set(status);
                if (failure != null) {
                    System.err.println("vigil: " + describe(failure));
                }
            });
        } finally {
            applicationStopped.countDown();
            if (broker != null) {
                broker.close();
            }
        }
        return exit.get();
    }

    /** Quarkus wraps the real reason ("Failed to start quarkus"): one line with every distinct message. */
    private static String describe(Throwable failure) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
            if (line.indexOf(message) < 0) {
                line.append(line.length() == 0 ? "" : ": ").append(message);
            }
        }
        return line.toString();
    }

}
