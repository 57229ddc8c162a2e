package io.vigil.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving test classes one real Kafka broker per JVM:
 * {@code @ExtendWith(EmbeddedKafkaExtension.class)}, then {@link #bootstrapServers()} for the address.
 *
 * <p>The broker starts lazily, on the first class that uses the extension or the first call of
 * {@link #bootstrapServers()}, in a fresh temporary directory on a free port, and is shared by
 * every later user in the JVM (test classes, {@link EmbeddedKafkaTestResource}). Tests share its
 * topics, so each test should use topic and group names of its own.
 *
 * <p>It is closed, and its directory deleted, when the JUnit run ends (through the root
 * {@link ExtensionContext.Store}, which closes {@link AutoCloseable} values) or, if no extension
 * context ever saw it, when the JVM exits.
 *
 * <p>With {@code -Dvigil.kafka=testcontainers} the shared Kafka is the {@code apache/kafka} image
 * through Testcontainers instead, where a Docker engine answers and Testcontainers is on the test
 * classpath; otherwise the embedded broker is used and the test output says why
 * ({@link TestKafkaChoice}).
 *
 * <p>Threading: {@link #bootstrapServers()} and the callbacks may run on any thread, in parallel;
 * the first caller starts the broker while the others wait for it.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

    // Guarded by EmbeddedKafkaExtension.class.
    private static SharedBroker shared;

    @Override
    public void beforeAll(ExtensionContext context) {
        SharedBroker broker = sharedBroker();
        // The root store outlives every test class and closes its AutoCloseable values at the end
        // of the run, while the test framework and logging are still up.
        context.getRoot().getStore(NAMESPACE).computeIfAbsent(SharedBroker.class, key -> broker, SharedBroker.class);
    }

    /** The shared broker's address, {@code 127.0.0.1:PORT}, starting the broker if needed. */
    public static String bootstrapServers() {
        return sharedBroker().bootstrapServers;
    }

    private static synchronized SharedBroker sharedBroker() {
        if (shared == null) {
            SharedBroker broker = SharedBroker.start();
            // Users outside JUnit's extension model (a Quarkus test resource) leave no store to
            // close it; closing twice is harmless.
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-test-shutdown"));
            shared = broker;
        }
        return shared;
    }

    private static synchronized void forget(SharedBroker broker) {
        if (shared == broker) {
            shared = null;
        }
    }

    /** The JVM's Kafka, its address and its temporary directory (null for a container), which go together. */
    private static final class SharedBroker implements AutoCloseable {
        private final AutoCloseable broker;
        private final String bootstrapServers;
        private final Path dataDir;

        private SharedBroker(AutoCloseable broker, String bootstrapServers, Path dataDir) {
            this.broker = broker;
            this.bootstrapServers = bootstrapServers;
            this.dataDir = dataDir;
        }

        static SharedBroker start() {
            TestKafkaChoice choice = TestKafkaChoice.forThisJvm();
            // Printed, not only logged: a run asked for Testcontainers must show that it did not get it.
            System.out.println(choice.reason());
            if (choice.testcontainers()) {
                TestcontainersKafka container = TestcontainersKafka.start();
                return new SharedBroker(container, container.bootstrapServers(), null);
            }
            Path dataDir;
            try {
                dataDir = Files.createTempDirectory("vigil-kafka-test-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a data dir for the test broker", e);
            }
            try {
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dataDir).build().start();
                return new SharedBroker(broker, broker.bootstrapServers(), dataDir);
            } catch (RuntimeException e) {
                deleteRecursively(dataDir);
                throw e;
            }
        }

        /** Synchronized: the root store and the shutdown hook may both close it, from different threads. */
        @Override
        public synchronized void close() {
            // A later user in the same JVM (after the JUnit run closed this one) gets a new broker.
            forget(this);
            try {
                broker.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the test Kafka at " + bootstrapServers, e);
            }
            deleteRecursively(dataDir);
        }

        private static void deleteRecursively(Path dir) {
            if (dir == null || !Files.exists(dir)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete test broker data dir " + dir, e);
            }
        }
    }
}
