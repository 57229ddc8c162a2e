package io.vigil.aggregator.core;

/**
 * Values for the {@code serviceProbe} fields a Dataplane leaves out, like Kuma's
 * {@code KUMA_DP_SERVER_HDS_CHECK_*}. Every process folding the same log must use the same
 * defaults, or they disagree on when a probed inbound flips.
 */
public record ProbeDefaults(long intervalMillis, long timeoutMillis, int healthyThreshold, int unhealthyThreshold) {

    /** SPEC section 2: interval 1s, timeout 2s, both thresholds 1. */
    public static final ProbeDefaults KUMA = new ProbeDefaults(1_000, 2_000, 1, 1);

    /** Settings of a probe whose absent (null) fields take these defaults. */
    public ProbeSettings resolve(Long interval, Long timeout, Integer healthy, Integer unhealthy, String httpPath) {
        return new ProbeSettings(
                interval != null ? interval : intervalMillis,
                timeout != null ? timeout : timeoutMillis,
                healthy != null ? healthy : healthyThreshold,
                unhealthy != null ? unhealthy : unhealthyThreshold,
                httpPath);
    }
}
