package io.vigil.projections;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN until the views have caught up with the change topics. */
@Readiness
@ApplicationScoped
public class ProjectionsReadinessCheck implements HealthCheck {

    private final ChangeFollower follower;

    ProjectionsReadinessCheck(ChangeFollower follower) {
        this.follower = follower;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("projections").status(!follower.enabled() || follower.caughtUp());
        if (!follower.enabled()) {
            response.withData("role", "not running here");
        }
        return response.build();
    }
}
