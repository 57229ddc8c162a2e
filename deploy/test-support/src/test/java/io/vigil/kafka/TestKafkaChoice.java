package io.vigil.kafka;

import java.util.function.BooleanSupplier;

/**
 * Which Kafka the tests of a JVM get, from the system property {@code vigil.kafka}: {@code embedded}
 * (the default: {@link EmbeddedKafkaBroker}) or {@code testcontainers} (Kafka in the
 * {@code apache/kafka} image through Testcontainers). Testcontainers needs a Docker engine and
 * {@code org.testcontainers:testcontainers-kafka} on the test classpath; without either the
 * tests run on the embedded broker, and {@link #reason()} says why.
 *
 * @param testcontainers whether to start Kafka in a container
 * @param reason one line for the test output saying which Kafka is used and why
 */
record TestKafkaChoice(boolean testcontainers, String reason) {

    static final String PROPERTY = "vigil.kafka";
    static final String NO_DOCKER = "no Docker engine: using the embedded broker";

    /** The choice for this JVM's system properties, Docker and classpath. */
    static TestKafkaChoice forThisJvm() {
        return choose(System.getProperty(PROPERTY), TestKafkaChoice::testcontainersOnClasspath,
                () -> TestcontainersKafka.dockerAvailable());
    }

    /**
     * @param requested the value of {@code vigil.kafka}, or null
     * @param onClasspath whether Testcontainers' Kafka module can be loaded; asked only when requested
     * @param dockerAvailable whether a Docker engine answers; asked only when requested and loadable
     * @throws IllegalArgumentException if {@code requested} names neither choice
     */
    static TestKafkaChoice choose(String requested, BooleanSupplier onClasspath, BooleanSupplier dockerAvailable) {
        if (requested == null || requested.isBlank() || requested.equals("embedded")) {
            return new TestKafkaChoice(false, "Kafka for tests: the embedded broker");
        }
        if (!requested.equals("testcontainers")) {
            throw new IllegalArgumentException(PROPERTY + " must be 'embedded' or 'testcontainers', not '" + requested + "'");
        }
        if (!onClasspath.getAsBoolean()) {
            return new TestKafkaChoice(false,
                    "org.testcontainers:testcontainers-kafka is not on this module's test classpath: using the embedded broker");
        }
        if (!dockerAvailable.getAsBoolean()) {
            return new TestKafkaChoice(false, NO_DOCKER);
        }
        return new TestKafkaChoice(true, "Kafka for tests: " + TestcontainersKafka.IMAGE + " through Testcontainers");
    }

    private static boolean testcontainersOnClasspath() {
        try {
            Class.forName("org.testcontainers.kafka.KafkaContainer", false, TestKafkaChoice.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
