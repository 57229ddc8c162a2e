package io.vigil.app;

import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.TopicSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when Kafka answers now and every vigil topic exists. */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    private final TopicBootstrap topics;
    /** Probes must answer fast, whatever the provisioning timeout. */
    private final TopicProvisioner quick;

    KafkaReadinessCheck(TopicBootstrap topics, KafkaAdmin admin) {
        this.topics = topics;
        this.quick = new TopicProvisioner(admin.admin(), TopicSettings.defaults(), Duration.ofSeconds(2));
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka");
        if (!topics.provisioned()) {
            return response.down().withData("reason", topics.problem()).build();
        }
        try {
            return quick.allTopicsExist()
                    ? response.up().build()
                    : response.down().withData("reason", "a vigil topic is missing").build();
        } catch (RuntimeException e) {
            return response.down().withData("reason", "Kafka not reachable: " + e.getMessage()).build();
        }
    }
}
