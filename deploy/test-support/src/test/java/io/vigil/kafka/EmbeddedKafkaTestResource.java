package io.vigil.kafka;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource pointing the application at the JVM's shared test broker:
 * {@code @QuarkusTestResource(EmbeddedKafkaTestResource.class)} (or {@code @WithTestResource}).
 *
 * <p>It is the same broker that {@link EmbeddedKafkaExtension} gives plain JUnit tests, so a module
 * whose Quarkus and plain tests run in one JVM starts Kafka once.
 *
 * <p>Threading: Quarkus calls {@link #start()} and {@link #stop()} from its test thread;
 * {@link #start()} is also safe in parallel with other users of the shared broker.
 */
public final class EmbeddedKafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", EmbeddedKafkaExtension.bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker is shared by the whole JVM and outlives each Quarkus application;
        // EmbeddedKafkaExtension closes it when the JVM's tests are done.
    }
}
