package io.vigil.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil kafka}: only the embedded broker, for setups with several vigil processes. */
@Command(name = "kafka", description = "Runs only the embedded Kafka broker; prints 'bootstrap: HOST:PORT' once ready.",
        mixinStandardHelpOptions = true)
final class KafkaCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the broker keeps its data, under DIR/kafka (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of(".vigil");

    @Option(names = "--port", paramLabel = "N", description = "Broker port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port = 9092;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port must be from 0 to 65535, got " + port);
        }
        try (DataDirLock lock = DataDirLock.acquire(dataDir);
             EmbeddedBrokerProcess broker = EmbeddedBrokerProcess.start(dataDir.resolve("kafka").toAbsolutePath(), port, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "vigil-embedded-kafka-stop"));
            int status = broker.waitFor();
            return status == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
