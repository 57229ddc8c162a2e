package io.vigil.app;

import io.quarkus.runtime.ShutdownEvent;
import io.vigil.schemas.kafka.ClientOptions;
import io.vigil.schemas.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** One Kafka {@link Admin} client for the process (thread-safe), closed at shutdown. */
@ApplicationScoped
public class KafkaAdmin {

    private final Admin admin;

    KafkaAdmin(KafkaClients clients) {
        this.admin = clients.admin(ClientOptions.named("vigil-admin")
                .tune(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)
                .tune(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
    }

    public Admin admin() {
        return admin;
    }

    void close(@Observes ShutdownEvent event) {
        admin.close();
    }
}
