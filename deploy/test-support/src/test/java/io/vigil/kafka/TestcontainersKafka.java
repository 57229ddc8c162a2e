package io.vigil.kafka;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Kafka in a container for tests ({@code -Dvigil.kafka=testcontainers}). The only class that
 * touches Testcontainers, so that test classpaths without it load the rest of this module; it is
 * used only after {@link TestKafkaChoice} found Testcontainers there.
 *
 * <p>Threading: {@link #close()} may come from any thread after {@link #start()}.
 */
final class TestcontainersKafka implements AutoCloseable {

    /** The broker version of the clients vigil uses. */
    static final String IMAGE = "apache/kafka:4.1.2";

    private final KafkaContainer container;

    private TestcontainersKafka(KafkaContainer container) {
        this.container = container;
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** Starts the container (as the embedded broker: no topic made by a typo) and waits until Kafka serves. */
    @SuppressWarnings("resource")
    static TestcontainersKafka start() {
        KafkaContainer container = new KafkaContainer(IMAGE).withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        container.start();
        return new TestcontainersKafka(container);
    }

    /** The address Testcontainers maps on this host. */
    String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
