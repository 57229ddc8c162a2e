package io.vigil.aggregator.core;

/**
 * SPEC section 2: whether an inbound is ready, and in words why not. Pure; reads the state only.
 * {@link #isReady} is on the hot path and allocates nothing; {@link #reason} runs only when a
 * change is emitted.
 */
final class InboundReadiness {

    private InboundReadiness() {
    }

    static boolean isReady(DataplaneState state, InboundTrack inbound) {
        return !isTerminating(state) && isServing(state, inbound);
    }

    /**
     * EndpointSlice's {@code terminating}: the dataplane is draining, or (Kubernetes) its pod is
     * terminating. Pod facts count on Kubernetes only, as they do for readiness.
     */
    static boolean isTerminating(DataplaneState state) {
        return state.draining
                || state.environment == Environment.KUBERNETES && state.pod != null && state.pod.terminating();
    }

    /**
     * EndpointSlice's {@code serving}: what readiness would be if the inbound were not
     * terminating. So it equals {@code ready} except while terminating, when it tells whether the
     * workload could still take the connections it is finishing.
     */
    static boolean isServing(DataplaneState state, InboundTrack inbound) {
        if (state.environment == Environment.KUBERNETES) {
            return podAllows(state.pod, inbound.spec.workloadPort());
        }
        return inbound.probed() ? inbound.probeHealthy : inbound.customReady;
    }

    /**
     * Kubernetes, termination aside: the pod must be known with its sidecar ready; then the
     * containers that declare the workload port decide. When none declares it, every container
     * must be ready: Kuma 2.14 calls such a port ready (kumahq/kuma#9289, #16903), vigil does not.
     */
    private static boolean podAllows(PodReadiness pod, int workloadPort) {
        if (pod == null || !pod.sidecarReady()) {
            return false;
        }
        boolean declared = false;
        boolean ownersReady = true;
        boolean allReady = true;
        for (PodContainer container : pod.containers()) {
            allReady &= container.ready();
            if (container.ports().contains(workloadPort)) {
                declared = true;
                ownersReady &= container.ready();
            }
        }
        return declared ? ownersReady : allReady;
    }

    /** Why the inbound is not ready; null when it is. */
    static String reason(DataplaneState state, InboundTrack inbound) {
        if (isReady(state, inbound)) {
            return null;
        }
        if (state.draining) {
            return "dataplane is draining";
        }
        if (state.environment == Environment.KUBERNETES) {
            return podReason(state.pod, inbound.spec.workloadPort());
        }
        if (inbound.spec.probe() == null) {
            return "health.ready is false";
        }
        if (inbound.consecutiveFailures > 0) {
            String detail = inbound.lastFailureDetail != null ? " (" + inbound.lastFailureDetail + ")" : "";
            return plural(inbound.consecutiveFailures, "consecutive probe failure") + detail;
        }
        if (inbound.consecutiveSuccesses > 0) {
            return inbound.consecutiveSuccesses + " of " + inbound.spec.probe().healthyThreshold()
                    + " consecutive probe successes needed";
        }
        return "no probe result yet";
    }

    private static String podReason(PodReadiness pod, int workloadPort) {
        if (pod == null) {
            return "no pod readiness seen yet";
        }
        if (pod.terminating()) {
            return "pod is terminating";
        }
        if (!pod.sidecarReady()) {
            return "kuma-sidecar is not ready";
        }
        boolean declared = pod.containers().stream().anyMatch(c -> c.ports().contains(workloadPort));
        for (PodContainer container : pod.containers()) {
            if (!container.ready() && (!declared || container.ports().contains(workloadPort))) {
                return declared
                        ? "container " + container.name() + " (port " + workloadPort + ") is not ready"
                        : "no container declares port " + workloadPort + " and container " + container.name()
                          + " is not ready";
            }
        }
        throw new IllegalStateException("not ready without a reason");
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
