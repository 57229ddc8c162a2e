package io.vigil.app;

import java.util.List;
import picocli.CommandLine.Option;

/** How {@code vigil serve} starts the embedded broker when no Kafka is configured. */
final class EmbeddedBrokerOptions {

    @Option(names = "--kafka-port", paramLabel = "N", defaultValue = "${env:VIGIL_KAFKA_PORT:-9092}",
            description = "Port of the embedded broker on 127.0.0.1 (env VIGIL_KAFKA_PORT; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--kafka-heap", paramLabel = "SIZE", defaultValue = "${env:VIGIL_EMBEDDED_KAFKA_HEAP:-512m}",
            description = "Maximum heap of the embedded broker (env VIGIL_EMBEDDED_KAFKA_HEAP; default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--kafka-fsync", defaultValue = "${env:VIGIL_KAFKA_FSYNC:-false}",
            description = "The embedded broker forces every append to disk before acknowledging it, so acknowledged events "
                    + "survive power loss; slower (env VIGIL_KAFKA_FSYNC).")
    boolean fsync;

    EmbeddedBrokerOptions() {
    }

    EmbeddedBrokerOptions(int port, String heap, boolean fsync) {
        this.port = port;
        this.heap = heap;
        this.fsync = fsync;
    }

    /** EmbeddedKafkaMain's arguments for these options besides the port. */
    List<String> brokerArguments() {
        return fsync ? List.of("--fsync") : List.of();
    }

    void validate() {
        if (port < 0 || port > 65535) {
            throw new BadInputException("the Kafka port must be from 0 to 65535, got " + port);
        }
        checkHeap("the Kafka heap", heap);
    }

    /** @throws BadInputException unless {@code heap} is a JVM heap size such as 512m or 2g */
    static void checkHeap(String what, String heap) {
        if (!heap.matches("[0-9]+[kKmMgG]?")) {
            throw new BadInputException(what + " must look like 512m or 2g, got '" + heap + "'");
        }
    }
}
