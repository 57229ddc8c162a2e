package io.vigil.schemas;

import io.vigil.avro.CurrentDataplaneSpec;
import io.vigil.avro.DataplaneCheckpoint;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.InboundChange;
import io.vigil.avro.MembershipUpdate;
import io.vigil.avro.ProxyChange;
import io.vigil.avro.ServiceChange;
import io.vigil.avro.ServiceCheckpoint;
import io.vigil.avro.ServiceEndpoints;
import io.vigil.schemas.Topic.Cleanup;
import java.util.List;

/** Every Kafka topic vigil uses, as {@link Topic} descriptors: the one place topics are defined. */
public final class Topics {

    /** The event log, the source of truth: {@code DataplaneEvent} keyed {@code mesh/dataplane}. */
    public static final Topic<DataplaneEvent> DATAPLANE_EVENTS = new Topic<>("vigil.dataplane-events", KeyFormat.DATAPLANE,
            DataplaneEvent.class, DataplaneEventSerde::new, Cleanup.RETAINED, null);
    /**
     * The current spec of every dataplane ({@code CurrentDataplaneSpec} keyed {@code mesh/dataplane},
     * a tombstone once deleted), written by aggregator stage 1 to the partition of the events it
     * folded: what the prober and the projections read instead of the event log.
     */
    public static final Topic<CurrentDataplaneSpec> DATAPLANE_SPECS = new Topic<>("vigil.dataplane-specs", KeyFormat.DATAPLANE,
            CurrentDataplaneSpec.class, CurrentDataplaneSpecSerde::new, Cleanup.COMPACTED, DATAPLANE_EVENTS);
    /** {@code MembershipUpdate} keyed {@code mesh/service}, from aggregator stage 1 to stage 2. */
    public static final Topic<MembershipUpdate> SERVICE_MEMBERSHIP = new Topic<>("vigil.service-membership", KeyFormat.SERVICE,
            MembershipUpdate.class, MembershipUpdateSerde::new, Cleanup.RETAINED, DATAPLANE_EVENTS);
    /** Changelog of aggregator stage 1's per-dataplane state. */
    public static final Topic<DataplaneCheckpoint> DATAPLANE_STATE = new Topic<>("vigil.aggregator.dataplane-state",
            KeyFormat.DATAPLANE, DataplaneCheckpoint.class, DataplaneCheckpointSerde::new, Cleanup.COMPACTED, DATAPLANE_EVENTS);
    /**
     * Changelog of aggregator stage 2's per-service state: per service one record keyed
     * {@code mesh/service} (what it last emitted, its version) and one per member keyed
     * {@link KeyFormat#serviceMember}, so no record grows with a service.
     */
    public static final Topic<ServiceCheckpoint> SERVICE_STATE = new Topic<>("vigil.aggregator.service-state",
            KeyFormat.SERVICE, ServiceCheckpoint.class, ServiceCheckpointSerde::new, Cleanup.COMPACTED, SERVICE_MEMBERSHIP);
    /** {@code InboundChange} keyed {@code mesh/dataplane/port}. */
    public static final Topic<InboundChange> INBOUND_HEALTH = new Topic<>("vigil.inbound-health", KeyFormat.INBOUND,
            InboundChange.class, InboundChangeSerde::new, Cleanup.COMPACTED_CHANGES, null);
    /** {@code ProxyChange} keyed {@code mesh/dataplane}. */
    public static final Topic<ProxyChange> PROXY_HEALTH = new Topic<>("vigil.proxy-health", KeyFormat.DATAPLANE,
            ProxyChange.class, ProxyChangeSerde::new, Cleanup.COMPACTED_CHANGES, null);
    /** {@code ServiceChange} keyed {@code mesh/service}. */
    public static final Topic<ServiceChange> SERVICE_HEALTH = new Topic<>("vigil.service-health", KeyFormat.SERVICE,
            ServiceChange.class, ServiceChangeSerde::new, Cleanup.COMPACTED_CHANGES, null);
    /**
     * {@code ServiceEndpoints} keyed {@code mesh/service/dataplane}: each member's part of a
     * service's load-balancing set, written with the service change it belongs to and to the
     * partition of {@link #SERVICE_HEALTH} that holds the service, so no record grows with a service.
     */
    public static final Topic<ServiceEndpoints> SERVICE_ENDPOINTS = new Topic<>("vigil.service-endpoints", KeyFormat.SERVICE_ENDPOINTS,
            ServiceEndpoints.class, ServiceEndpointsSerde::new, Cleanup.COMPACTED_CHANGES, SERVICE_HEALTH);
    /** Records no processor could handle, as they were, with the reason in headers. */
    public static final Topic<byte[]> DEAD_LETTER = new Topic<>("vigil.dead-letter", KeyFormat.SOURCE, byte[].class, null,
            Cleanup.RETAINED, null);

    /** Every topic, each after the topic it is co-partitioned with. */
    public static final List<Topic<?>> ALL = List.of(DATAPLANE_EVENTS, DATAPLANE_SPECS, SERVICE_MEMBERSHIP, DATAPLANE_STATE, SERVICE_STATE,
            INBOUND_HEALTH, PROXY_HEALTH, SERVICE_HEALTH, SERVICE_ENDPOINTS, DEAD_LETTER);

    /** The three change topics, in the order a live-stream cursor lists their partitions. */
    public static final List<Topic<?>> CHANGES = List.of(INBOUND_HEALTH, PROXY_HEALTH, SERVICE_HEALTH);

    /**
     * The topics downstream tooling reads: what registry mode writes in the schema registry wire
     * format (README "Consuming vigil's topics"). The others are vigil's own and stay single-object encoded.
     */
    public static final List<Topic<?>> PRODUCT = List.of(INBOUND_HEALTH, PROXY_HEALTH, SERVICE_HEALTH, SERVICE_ENDPOINTS);

    private Topics() {
    }

    /** The names of {@link #ALL}. */
    public static List<String> names() {
        return ALL.stream().map(Topic::name).toList();
    }
}
