package io.vigil.aggregator.core;

/**
 * An inbound's {@code serviceProbe} after defaults. Two inbounds with equal settings probe alike,
 * which is what decides whether an upsert keeps the probe counters (SPEC section 2).
 *
 * @param httpPath the path of an HTTP GET check, or null for a TCP connect check
 */
public record ProbeSettings(long intervalMillis, long timeoutMillis, int healthyThreshold,
                            int unhealthyThreshold, String httpPath) {

    public ProbeSettings {
        if (intervalMillis <= 0 || timeoutMillis <= 0) {
            throw new IllegalArgumentException("probe interval and timeout must be positive");
        }
        if (healthyThreshold < 1 || unhealthyThreshold < 1) {
            throw new IllegalArgumentException("probe thresholds must be at least 1");
        }
    }
}
