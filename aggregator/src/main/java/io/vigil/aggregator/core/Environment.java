package io.vigil.aggregator.core;

/** Where a dataplane runs; it decides which facts count for inbound health (SPEC section 2). */
public enum Environment {
    UNIVERSAL,
    KUBERNETES
}
