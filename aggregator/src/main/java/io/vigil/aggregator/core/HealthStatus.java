package io.vigil.aggregator.core;

/** Status of a proxy or a service; {@link #wireName()} is the SPEC section 5 spelling. */
public enum HealthStatus {
    ONLINE("online"),
    OFFLINE("offline"),
    PARTIALLY_DEGRADED("partially_degraded");

    private final String wireName;

    HealthStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The one rule shared by proxies and services: all good, none good, or in between. */
    static HealthStatus of(int good, int total) {
        if (good == total) {
            return ONLINE;
        }
        return good == 0 ? OFFLINE : PARTIALLY_DEGRADED;
    }
}
