package io.vigil.app;

import io.smallrye.common.annotation.Identifier;
import io.vigil.ingest.EventLog;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import io.vigil.schemas.kafka.KafkaSettings.ClientKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The process's Kafka settings, and from them both its {@link KafkaClients} and the Kafka
 * configuration of SmallRye Reactive Messaging's event log channel, so that every client of every
 * role connects with the same properties.
 *
 * <p>In {@code vigil serve} the settings are the client properties it merged before Quarkus
 * started ({@link #use}, {@link KafkaConfigOption}): handed over whole rather than as {@code kafka.*}
 * configuration, where Quarkus' {@code default-kafka-broker} map would hold both a {@code KAFKA_*}
 * variable and the {@code kafka.*} property that overrides it, and keep whichever it met last.
 * Elsewhere (the tests) they are that map itself. The channel gets them through a bean named after
 * it, which SmallRye puts under the channel's own attributes ({@code acks}, serializers, ...).
 */
@ApplicationScoped
public class KafkaConnection {

    private static final Logger LOG = Logger.getLogger(KafkaConnection.class);

    /** Written once by {@code vigil serve} on its main thread before Quarkus starts; null otherwise. */
    private static volatile Map<String, String> merged;

    /** The merged client properties this process's Kafka clients get; call before Quarkus starts. */
    static void use(Map<String, String> properties) {
        merged = Map.copyOf(properties);
    }

    @Produces
    @Singleton
    KafkaSettings settings(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        Map<String, String> properties = merged;
        KafkaSettings settings = properties != null ? KafkaSettings.of(properties) : KafkaSettings.of(kafka);
        LOG.debugf("Kafka clients from %s", settings);
        return settings;
    }

    @Produces
    @Singleton
    KafkaClients clients(KafkaSettings settings) {
        return new KafkaClients(settings);
    }

    /** What a producer from {@link KafkaClients} would get, as the event log channel's Kafka configuration. */
    @Produces
    @Singleton
    @Identifier(EventLog.CHANNEL)
    Map<String, Object> eventLogChannel(KafkaClients clients) {
        return Map.copyOf(clients.config(ClientKind.PRODUCER, ClientOptions.named("vigil-ingest")));
    }
}
