package io.vigil.app;

import io.smallrye.common.annotation.Identifier;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The process's {@link KafkaClients}, from the very configuration SmallRye Reactive Messaging
 * gives its own Kafka channels: Quarkus' {@code default-kafka-broker} map, i.e. every {@code kafka.*}
 * property (and {@code KAFKA_*} environment variable) with the prefix removed. So a client property
 * set once reaches the roles' plain clients and any messaging channel alike.
 */
@ApplicationScoped
public class KafkaConnection {

    private static final Logger LOG = Logger.getLogger(KafkaConnection.class);

    @Produces
    @Singleton
    KafkaClients clients(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        KafkaSettings settings = KafkaSettings.of(kafka);
        LOG.debugf("Kafka clients from %s", settings);
        return new KafkaClients(settings);
    }
}
