package io.vigil.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN while the aggregator's stages join their groups or restore their state. */
@Readiness
@ApplicationScoped
public class AggregatorReadinessCheck implements HealthCheck {

    private final AggregatorRole aggregator;

    AggregatorReadinessCheck(AggregatorRole aggregator) {
        this.aggregator = aggregator;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("aggregator").status(aggregator.ready());
        if (!aggregator.enabled()) {
            response.withData("role", "not running here");
        }
        return response.build();
    }
}
