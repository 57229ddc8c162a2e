package io.vigil.app;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil kafka}: only the embedded broker, for setups with several vigil processes. With
 * {@code --secure} it is a production-like broker (SASL_SSL with SCRAM-SHA-512, its own CA, ACLs, no
 * plaintext listener) and vigil's client settings are written to {@code DIR/client.properties}
 * (owner-only) before the {@code bootstrap:} line.
 */
@Command(name = "kafka", description = "Runs only the embedded Kafka broker; prints 'bootstrap: HOST:PORT' once ready.",
        mixinStandardHelpOptions = true)
final class KafkaCommand implements Callable<Integer> {

    static final String CLIENT_PROPERTIES = "client.properties";

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:VIGIL_DATA_DIR:-.vigil}",
            description = "Where the broker keeps its data, under DIR/kafka (env VIGIL_DATA_DIR; default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "N", defaultValue = "${env:VIGIL_KAFKA_PORT:-9092}",
            description = "Broker port on 127.0.0.1 (env VIGIL_KAFKA_PORT; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "${env:VIGIL_EMBEDDED_KAFKA_HEAP:-512m}",
            description = "Maximum heap of the broker (env VIGIL_EMBEDDED_KAFKA_HEAP; default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--secure", description = "TLS and SCRAM-SHA-512 for every client, ACLs, no plaintext listener; "
            + "writes vigil's client settings to DIR/client.properties (use it with --kafka-config).")
    boolean secure;

    @Option(names = "--fsync", defaultValue = "${env:VIGIL_KAFKA_FSYNC:-false}",
            description = "Force every append to disk before acknowledging it, so acknowledged records survive power loss; "
                    + "slower (env VIGIL_KAFKA_FSYNC).")
    boolean fsync;

    @Override
    public Integer call() throws Exception {
        EmbeddedBrokerOptions options = new EmbeddedBrokerOptions(port, heap, fsync);
        Path clientProperties = dataDir.resolve(CLIENT_PROPERTIES).toAbsolutePath();
        List<String> security = secure ? List.of("--secure", "--client-properties", clientProperties.toString()) : List.of();
        try (DataDirLock lock = DataDirLock.acquire(dataDir);
             EmbeddedBrokerProcess broker = EmbeddedBrokerProcess.start(dataDir.resolve("kafka").toAbsolutePath(), options, security, true)) {
            if (secure) {
                System.out.println("client settings: " + clientProperties + " (vigil serve --kafka-config " + clientProperties + ")");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "vigil-embedded-kafka-stop"));
            int status = broker.waitFor();
            return status == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
