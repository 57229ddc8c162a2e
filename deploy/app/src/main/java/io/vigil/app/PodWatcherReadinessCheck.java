package io.vigil.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN until the pod watcher's informers have listed the pods they watch. */
@Readiness
@ApplicationScoped
public class PodWatcherReadinessCheck implements HealthCheck {

    private final PodWatcherRole watcher;

    PodWatcherReadinessCheck(PodWatcherRole watcher) {
        this.watcher = watcher;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("k8s-watcher").status(watcher.ready());
        if (watcher.enabled()) {
            response.withData("dataplanes", watcher.dataplanes());
        } else {
            response.withData("role", "not running here");
        }
        return response.build();
    }
}
