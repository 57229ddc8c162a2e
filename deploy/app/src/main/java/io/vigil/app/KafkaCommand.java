package io.vigil.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil kafka}: only the embedded broker, for setups with several vigil processes. */
@Command(name = "kafka", description = "Runs only the embedded Kafka broker; prints 'bootstrap: HOST:PORT' once ready.",
        mixinStandardHelpOptions = true)
final class KafkaCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:VIGIL_DATA_DIR:-.vigil}",
            description = "Where the broker keeps its data, under DIR/kafka (env VIGIL_DATA_DIR; default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "N", defaultValue = "${env:VIGIL_KAFKA_PORT:-9092}",
            description = "Broker port on 127.0.0.1 (env VIGIL_KAFKA_PORT; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "${env:VIGIL_EMBEDDED_KAFKA_HEAP:-512m}",
            description = "Maximum heap of the broker (env VIGIL_EMBEDDED_KAFKA_HEAP; default: ${DEFAULT-VALUE}).")
    String heap;

    @Override
    public Integer call() throws Exception {
        EmbeddedBrokerOptions options = new EmbeddedBrokerOptions(port, heap);
        try (DataDirLock lock = DataDirLock.acquire(dataDir);
             EmbeddedBrokerProcess broker = EmbeddedBrokerProcess.start(dataDir.resolve("kafka").toAbsolutePath(), options, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "vigil-embedded-kafka-stop"));
            int status = broker.waitFor();
            return status == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
