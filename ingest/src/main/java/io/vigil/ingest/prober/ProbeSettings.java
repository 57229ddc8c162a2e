package io.vigil.ingest.prober;

import io.vigil.avro.CurrentProbeSettings;

/**
 * An inbound's {@code serviceProbe} after defaults, as aggregator stage 1 publishes it on
 * {@code vigil.dataplane-specs}: the prober applies no defaults of its own, so it probes exactly
 * what the aggregator counts. The thresholds are not the prober's business, but they are part of
 * the target: changing them makes the aggregator start the inbound over, not ready, so the
 * prober checks it again at once.
 *
 * @param httpPath the path of an HTTP GET check, or null for a TCP connect check
 */
public record ProbeSettings(long intervalMillis, long timeoutMillis, int healthyThreshold, int unhealthyThreshold, String httpPath) {

    /** The settings of a spec record. */
    public static ProbeSettings of(CurrentProbeSettings probe) {
        return new ProbeSettings(probe.getIntervalMillis(), probe.getTimeoutMillis(), probe.getHealthyThreshold(),
                probe.getUnhealthyThreshold(), probe.getHttpPath());
    }
}
