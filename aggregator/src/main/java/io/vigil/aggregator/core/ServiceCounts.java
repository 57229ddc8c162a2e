package io.vigil.aggregator.core;

/** A service's members by status; Kuma folds degraded into offline, vigil keeps the three apart. */
public record ServiceCounts(int total, int online, int offline, int partiallyDegraded) {
}
