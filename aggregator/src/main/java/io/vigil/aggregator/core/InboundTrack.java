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
        this.spec = spec;
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
        spec = newSpec;
    }

    /** Counts one probe result against the thresholds; true when anything changed. */
    boolean recordProbe(boolean healthy, String detail) {
        ProbeSettings probe = spec.probe();
        if (healthy) {
            if (consecutiveSuccesses >= probe.healthyThreshold() && consecutiveFailures == 0) {
                return false;
            }
            consecutiveFailures = 0;
            lastFailureDetail = null;
            consecutiveSuccesses = Math.min(consecutiveSuccesses + 1, probe.healthyThreshold());
            if (consecutiveSuccesses == probe.healthyThreshold()) {
                probeHealthy = true;
            }
        } else {
            if (consecutiveFailures >= probe.unhealthyThreshold() && consecutiveSuccesses == 0) {
                return false;
            }
            consecutiveSuccesses = 0;
            consecutiveFailures = Math.min(consecutiveFailures + 1, probe.unhealthyThreshold());
            lastFailureDetail = detail;
            if (consecutiveFailures == probe.unhealthyThreshold()) {
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
