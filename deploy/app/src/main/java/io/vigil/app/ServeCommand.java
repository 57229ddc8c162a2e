package io.vigil.app;

import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil serve}: runs the chosen roles in one Quarkus process. Without a configured Kafka
 * it starts the embedded broker under the data dir first and stops it last, after the roles
 * have flushed and committed what they hold.
 */
@Command(name = "serve", description = "Runs vigil's roles (all but k8s-watcher by default).", mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--roles", split = ",", paramLabel = "ROLE",
            description = "Roles to run: ingest, prober, aggregator, projections, k8s-watcher (default: all but k8s-watcher).")
    List<String> roles = Role.DEFAULTS.stream().map(Role::cliName).toList();

    @Option(names = "--port", paramLabel = "N", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port = 8080;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where vigil keeps its data (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of(".vigil");

    @Option(names = "--tokens-file", paramLabel = "FILE", description = "Tokens for the write API (env VIGIL_TOKENS_FILE).")
    Path tokensFile;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
            description = "Kafka to use (env KAFKA_BOOTSTRAP_SERVERS); without it vigil starts its embedded broker.")
    String bootstrapServers;

    @Option(names = "--kafka-port", paramLabel = "N", description = "Port of the embedded broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort = 9092;

    @Override
    public Integer call() throws Exception {
        Set<Role> selected = Role.parse(roles);
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port must be from 0 to 65535, got " + port);
        }
        String kafka = bootstrapServers != null ? bootstrapServers : firstNonBlank(
                System.getenv("KAFKA_BOOTSTRAP_SERVERS"), System.getProperty("kafka.bootstrap.servers"));
        try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
            EmbeddedBrokerProcess broker = null;
            if (kafka == null) {
                Path brokerDir = dataDir.resolve("kafka").toAbsolutePath();
                System.out.println("no Kafka configured: starting the embedded broker, data in " + brokerDir);
                broker = EmbeddedBrokerProcess.start(brokerDir, kafkaPort, false);
                kafka = broker.bootstrapServers();
            }
            System.out.println("kafka: " + kafka + (broker != null ? " (embedded)" : ""));
            System.out.println("data: " + dataDir.toAbsolutePath());
            configure(selected, kafka);
            return runUntilStopped(broker);
        }
    }

    private void configure(Set<Role> selected, String kafka) {
        System.setProperty("kafka.bootstrap.servers", kafka);
        System.setProperty("quarkus.http.port", Integer.toString(port));
        System.setProperty("vigil.roles", selected.stream().map(Role::cliName).collect(Collectors.joining(",")));
        System.setProperty("vigil.data-dir", dataDir.toAbsolutePath().toString());
        if (tokensFile != null) {
            System.setProperty("vigil.tokens-file", tokensFile.toAbsolutePath().toString());
        }
    }

    /**
     * Runs Quarkus until Ctrl-C, SIGTERM or a start-up failure. On a signal the JVM runs its
     * shutdown hooks side by side, so the broker's hook waits for the application to have stopped.
     */
    private int runUntilStopped(EmbeddedBrokerProcess broker) {
        CountDownLatch applicationStopped = new CountDownLatch(1);
        if (broker != null) {
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

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
