package io.vigil.aggregator.core;

import java.util.List;

/** Kubernetes pod status for the pod behind the dataplane. */
public record PodReadiness(boolean terminating, boolean sidecarReady, List<PodContainer> containers)
        implements EventPayload {

    public PodReadiness {
        containers = List.copyOf(containers);
    }

    @Override
    public String type() {
        return "pod-readiness";
    }
}
