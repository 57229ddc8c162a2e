package io.vigil.aggregator.core;

import java.util.Objects;

/**
 * What the fold remembers about one inbound: its spec, its probe counters and custom health, and
 * the view last emitted for it. Not thread-safe; owned by its {@link DataplaneState}.
 *
 * <p>Counters stop at their threshold: one more success or failure than needed changes nothing,
 * so a steady stream of equal probe results leaves the state untouched (nothing to checkpoint).
 */
final class InboundTrack {

    InboundSpec spec;
    /**
     * {@code spec.probe()}'s thresholds, or 0 when not probed: a probe result, most of the event
     * log, is counted from the track alone, without reading its spec and probe settings.
     */
    private int healthyThreshold;
    private int unhealthyThreshold;
    int consecutiveSuccesses;
    int consecutiveFailures;
    /** Probed inbounds start not ready: fail-closed, as Kuma does on create. */
    boolean probeHealthy;
    String lastFailureDetail;
    /** {@code health.ready} or the last {@code inbound-health}; used when not probed. */
    boolean customReady;
    InboundView emitted;
    long version;

    InboundTrack(InboundSpec spec) {
        setSpec(spec);
        this.customReady = spec.health() == null || spec.health();
    }

    static InboundTrack restore(InboundMemory memory) {
        InboundTrack track = new InboundTrack(memory.spec());
        track.consecutiveSuccesses = memory.consecutiveSuccesses();
        track.consecutiveFailures = memory.consecutiveFailures();
        track.probeHealthy = memory.probeHealthy();
        track.lastFailureDetail = memory.lastFailureDetail();
        track.customReady = memory.customReady();
        track.emitted = memory.emitted();
        track.version = memory.version();
        return track;
    }

    InboundMemory memory() {
        return new InboundMemory(spec, consecutiveSuccesses, consecutiveFailures, probeHealthy, lastFailureDetail,
                customReady, emitted, version);
    }

    /**
     * An upsert kept this inbound: same probe settings keep counters and health; changed settings
     * start over not ready; a health section sets the custom value, its absence keeps it.
     */
    void respec(InboundSpec newSpec) {
        if (!Objects.equals(spec.probe(), newSpec.probe())) {
            consecutiveSuccesses = 0;
            consecutiveFailures = 0;
            probeHealthy = false;
            lastFailureDetail = null;
        }
        if (newSpec.health() != null) {
            customReady = newSpec.health();
        }
        setSpec(newSpec);
    }

    private void setSpec(InboundSpec newSpec) {
        spec = newSpec;
        ProbeSettings probe = newSpec.probe();
        healthyThreshold = probe == null ? 0 : probe.healthyThreshold();
        unhealthyThreshold = probe == null ? 0 : probe.unhealthyThreshold();
    }

    /** Whether the spec has a {@code serviceProbe}. */
    boolean probed() {
        return healthyThreshold != 0;
    }

    /** Counts one probe result against the thresholds; true when anything changed. */
    boolean recordProbe(boolean healthy, String detail) {
        if (healthy) {
            if (consecutiveSuccesses >= healthyThreshold && consecutiveFailures == 0) {
                return false;
            }
            consecutiveFailures = 0;
            lastFailureDetail = null;
            consecutiveSuccesses = Math.min(consecutiveSuccesses + 1, healthyThreshold);
            if (consecutiveSuccesses == healthyThreshold) {
                probeHealthy = true;
            }
        } else {
            if (consecutiveFailures >= unhealthyThreshold && consecutiveSuccesses == 0) {
                return false;
            }
            consecutiveSuccesses = 0;
            consecutiveFailures = Math.min(consecutiveFailures + 1, unhealthyThreshold);
            lastFailureDetail = detail;
            if (consecutiveFailures == unhealthyThreshold) {
                probeHealthy = false;
            }
        }
        return true;
    }

    /** Sets the custom health of an unprobed inbound; true when it changed. */
    boolean setCustomReady(boolean ready) {
        if (customReady == ready) {
            return false;
        }
        customReady = ready;
        return true;
    }
}
