package io.vigil.app;

import io.vigil.ingest.simulate.SimulationSink;
import io.vigil.ingest.simulate.FleetGenerator;
import io.vigil.ingest.simulate.FleetShape;
import io.vigil.ingest.simulate.HttpSink;
import io.vigil.ingest.simulate.KafkaSink;
import io.vigil.ingest.simulate.Simulation;
import io.vigil.schemas.GoDuration;
import io.vigil.schemas.kafka.KafkaClients;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil simulate}: plays a seeded fleet's health facts into a running vigil through its
 * REST API, or with {@code --direct} straight onto the event log topic, at a set rate, with a
 * live progress line on stderr and the achieved rate on stdout at the end. Plain Java: it does
 * not boot Quarkus.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Sends a seeded simulated fleet's events to vigil at a set rate and reports the rate reached.")
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--dataplanes", paramLabel = "N", description = "Dataplanes in the fleet (default: ${DEFAULT-VALUE}).")
    int dataplanes = 100;

    @Option(names = "--inbounds-per-dataplane", paramLabel = "M", description = "Inbounds of each dataplane (default: ${DEFAULT-VALUE}).")
    int inbounds = 2;

    @Option(names = "--services", paramLabel = "S", description = "Services the inbounds spread over (default: ${DEFAULT-VALUE}).")
    int services = 20;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", description = "Events per second; 0 for as fast as vigil takes them (default: ${DEFAULT-VALUE}).")
    double rate = 100;

    @Option(names = "--flap-probability", paramLabel = "P", description = "Chance that a health report flips its inbound (default: ${DEFAULT-VALUE}).")
    double flapProbability = 0.01;

    @Option(names = "--kubernetes-share", paramLabel = "F", description = "Share of dataplanes on Kubernetes; the rest are Universal (default: ${DEFAULT-VALUE}).")
    double kubernetesShare = 0.3;

    @Option(names = "--duration", paramLabel = "D", description = "Stop after this long, e.g. 30s or 5m (default: until --count or Ctrl-C).")
    String duration;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N events (default: until --duration or Ctrl-C).")
    long count;

    @Option(names = "--mesh", paramLabel = "M", description = "Mesh of the fleet (default: ${DEFAULT-VALUE}).")
    String mesh = "default";

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the fleet and its events (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--target", paramLabel = "URL", defaultValue = "${env:VIGIL_SERVER:-http://127.0.0.1:8080}",
            description = "vigil's HTTP address (env VIGIL_SERVER; default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:VIGIL_TOKEN}",
            description = "Bearer token (env VIGIL_TOKEN; default: the admin token in --data-dir).")
    String token;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:VIGIL_DATA_DIR:-.vigil}",
            description = "vigil serve's data dir, for its admin-token (env VIGIL_DATA_DIR; default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--direct", description = "Write to the event log topic instead of the REST API.")
    boolean direct;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka for --direct (env KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Mixin
    KafkaConfigOption kafkaConfig;

    @Option(names = "--batch", paramLabel = "N", description = "Most events per request (default: ${DEFAULT-VALUE}).")
    int batch = 500;

    @Option(names = "--concurrency", paramLabel = "N", description = "Requests in flight; a dataplane always uses the same one (default: ${DEFAULT-VALUE}).")
    int concurrency = 4;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write every event as a JSON line, for vigil replay --events.")
    Path output;

    @Override
    public Integer call() throws IOException, InterruptedException {
        FleetShape shape;
        Simulation.Settings settings;
        try {
            shape = new FleetShape(mesh, dataplanes, inbounds, services, flapProbability, kubernetesShare);
            settings = new Simulation.Settings(rate, parseDuration(), count, batch, concurrency);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        Instant start = Instant.now();
        FleetGenerator generator = new FleetGenerator(shape, seed, start, "sim-" + Long.toString(start.toEpochMilli(), 36));
        try (SimulationSink sink = sink(); Writer file = output == null ? null : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            Simulation simulation = new Simulation(generator, sink, settings, file, System.err, System.console() != null);
            CountDownLatch reported = new CountDownLatch(1);
            Thread hook = stopOnSignal(simulation, reported);
            try {
                return report(simulation.run());
            } finally {
                reported.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it only waited for the report
                }
            }
        }
    }

    /**
     * Ctrl-C stops generating; the run still sends what it has generated, and the JVM waits (in
     * the hook) until the summary is printed.
     */
    private static Thread stopOnSignal(Simulation simulation, CountDownLatch reported) {
        Thread hook = new Thread(() -> {
            simulation.stop();
            try {
                reported.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vigil-simulate-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** The summary line on stdout, and the exit status it leads to. */
    private int report(Simulation.Summary summary) {
        System.out.printf(Locale.ROOT, "simulate: %,d events sent in %.1f s: %,.0f events/s (requested %s), %,d errors%n",
                summary.sent(), summary.elapsed().toMillis() / 1000.0, summary.rate(),
                rate == 0 ? "no limit" : String.format(Locale.ROOT, "%,.0f/s", rate), summary.failed());
        System.out.flush();
        if (summary.fatal() != null) {
            throw new BadInputException("vigil refused the events: " + summary.fatal());
        }
        return summary.failed() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private Duration parseDuration() {
        if (duration == null) {
            return null;
        }
        try {
            return Duration.ofMillis(GoDuration.parseMillis(duration));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--duration: " + e.getMessage());
        }
    }

    private SimulationSink sink() throws IOException {
        if (direct) {
            return new KafkaSink(new KafkaClients(kafkaConfig.settings(bootstrapServers, "--bootstrap-servers")));
        }
        return new HttpSink(target, token != null && !token.isBlank() ? token.strip() : adminToken());
    }

    private String adminToken() throws IOException {
        Path file = dataDir.resolve("admin-token");
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new BadInputException("no token: give --token, set VIGIL_TOKEN, or --data-dir of the vigil serve that made "
                    + "an admin-token (there is no " + file + ")");
        }
    }
}
