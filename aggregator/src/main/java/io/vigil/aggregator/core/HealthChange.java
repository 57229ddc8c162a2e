package io.vigil.aggregator.core;

/**
 * A change that leaves the pipeline: the full state after it (null for a tombstone), a
 * per-entity version that grows by exactly one per change, and its cause.
 */
public sealed interface HealthChange permits InboundChange, ProxyChange, ServiceChange {

    /** The changed entity: {@code mesh/dataplane/port}, {@code mesh/dataplane} or {@code mesh/service}. */
    String entityKey();

    long version();

    Cause cause();

    boolean isTombstone();
}
