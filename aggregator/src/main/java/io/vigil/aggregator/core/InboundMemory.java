package io.vigil.aggregator.core;

/**
 * What the fold remembers of one inbound, as a value: for checkpoints and their restore.
 *
 * @param emitted the view last emitted, or null before the first
 */
public record InboundMemory(InboundSpec spec, int consecutiveSuccesses, int consecutiveFailures, boolean probeHealthy,
                            String lastFailureDetail, boolean customReady, InboundView emitted, long version) {
}
