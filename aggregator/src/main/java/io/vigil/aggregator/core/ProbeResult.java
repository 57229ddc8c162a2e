package io.vigil.aggregator.core;

/** One active health check of the workload behind inbound {@code port} (Universal only). */
public record ProbeResult(int port, boolean healthy, String detail) implements EventPayload {

    @Override
    public String type() {
        return "probe-result";
    }
}
