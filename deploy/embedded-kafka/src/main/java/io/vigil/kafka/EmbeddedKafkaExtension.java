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
        return sharedBroker().broker.bootstrapServers();
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

    /** The JVM's broker and its temporary directory, which go together. */
    private static final class SharedBroker implements AutoCloseable {
        private final EmbeddedKafkaBroker broker;
        private final Path dataDir;

        private SharedBroker(EmbeddedKafkaBroker broker, Path dataDir) {
            this.broker = broker;
            this.dataDir = dataDir;
        }

        static SharedBroker start() {
            Path dataDir;
            try {
                dataDir = Files.createTempDirectory("vigil-kafka-test-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a data dir for the test broker", e);
            }
            try {
                return new SharedBroker(EmbeddedKafkaBroker.builder(dataDir).build().start(), dataDir);
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
            broker.close();
            deleteRecursively(dataDir);
        }

        private static void deleteRecursively(Path dir) {
            if (!Files.exists(dir)) {
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
