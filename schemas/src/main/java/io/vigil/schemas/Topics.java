package io.vigil.schemas;

import java.util.List;
import java.util.Optional;

/** The names of every Kafka topic vigil uses, and which of them must be co-partitioned. */
public final class Topics {

    /** The event log, the source of truth: {@code DataplaneEvent} keyed {@code mesh/dataplane}. */
    public static final String DATAPLANE_EVENTS = "vigil.dataplane-events";
    /** {@code InboundChange} keyed {@code mesh/dataplane/port}; compacted. */
    public static final String INBOUND_HEALTH = "vigil.inbound-health";
    /** {@code ProxyChange} keyed {@code mesh/dataplane}; compacted. */
    public static final String PROXY_HEALTH = "vigil.proxy-health";
    /** {@code ServiceChange} keyed {@code mesh/service}; compacted. */
    public static final String SERVICE_HEALTH = "vigil.service-health";
    /** {@code MembershipUpdate} keyed {@code mesh/service}, from aggregator stage 1 to stage 2. */
    public static final String SERVICE_MEMBERSHIP = "vigil.service-membership";
    /** Records no processor could handle, with the reason. */
    public static final String DEAD_LETTER = "vigil.dead-letter";
    /** Changelog of aggregator stage 1's per-dataplane state; compacted. */
    public static final String DATAPLANE_STATE = "vigil.aggregator.dataplane-state";
    /** Changelog of aggregator stage 2's per-service state; compacted. */
    public static final String SERVICE_STATE = "vigil.aggregator.service-state";

    /** Every topic, each after the topic it is co-partitioned with. */
    public static final List<String> ALL = List.of(DATAPLANE_EVENTS, SERVICE_MEMBERSHIP, DATAPLANE_STATE, SERVICE_STATE,
            INBOUND_HEALTH, PROXY_HEALTH, SERVICE_HEALTH, DEAD_LETTER);

    private Topics() {
    }

    /**
     * The topic that {@code topic} must have exactly as many partitions as, if any. A stage's state
     * changelog is co-partitioned with its input, so that the instance that owns an input partition
     * restores that partition's state; the membership topic has the event log's count so that
     * stage 2 can be scaled like stage 1.
     */
    public static Optional<String> coPartitionedWith(String topic) {
        return switch (topic) {
            case SERVICE_MEMBERSHIP, DATAPLANE_STATE -> Optional.of(DATAPLANE_EVENTS);
            case SERVICE_STATE -> Optional.of(SERVICE_MEMBERSHIP);
            default -> Optional.empty();
        };
    }
}
