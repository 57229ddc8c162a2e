package io.vigil.aggregator.records;

import io.vigil.aggregator.core.DataplaneSpec;
import io.vigil.aggregator.core.DataplaneState;
import io.vigil.aggregator.core.Endpoint;
import io.vigil.aggregator.core.HealthStatus;
import io.vigil.aggregator.core.InboundMemory;
import io.vigil.aggregator.core.InboundSpec;
import io.vigil.aggregator.core.InboundView;
import io.vigil.aggregator.core.MemberView;
import io.vigil.aggregator.core.PodContainer;
import io.vigil.aggregator.core.PodReadiness;
import io.vigil.aggregator.core.ProbeSettings;
import io.vigil.aggregator.core.ProxyView;
import io.vigil.aggregator.core.ServiceCounts;
import io.vigil.aggregator.core.ServiceFold;
import io.vigil.aggregator.core.ServiceState;
import io.vigil.aggregator.core.ServiceSummary;
import io.vigil.aggregator.core.Subscription;
import io.vigil.aggregator.core.Tags;
import io.vigil.avro.ContainerCheckpoint;
import io.vigil.avro.DataplaneCheckpoint;
import io.vigil.avro.InboundCheckpoint;
import io.vigil.avro.InboundViewCheckpoint;
import io.vigil.avro.MemberCheckpoint;
import io.vigil.avro.PodCheckpoint;
import io.vigil.avro.ProbeCheckpoint;
import io.vigil.avro.ProxyViewCheckpoint;
import io.vigil.avro.ServiceCheckpoint;
import io.vigil.avro.ServiceViewCheckpoint;
import io.vigil.avro.SubscriptionCheckpoint;
import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.ServiceKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The rules' state as the records of the state changelogs, and back: a restored state folds the
 * next event exactly as the state it was taken from would. A checkpoint written before v2 has no
 * tags: its inbounds and gateway restore with just their {@code kuma.io/service} tag until the next
 * upsert. Every checkpoint written here says {@code specPublished}: stage 1 publishes a
 * dataplane's spec in the transaction that writes its checkpoint. Stateless and thread-safe.
 */
public final class CheckpointRecords {

    private CheckpointRecords() {
    }

    public static DataplaneCheckpoint dataplane(DataplaneState state) {
        DataplaneSpec spec = state.spec();
        List<InboundCheckpoint> inbounds = new ArrayList<>();
        for (InboundMemory memory : state.inboundMemories()) {
            InboundSpec inbound = memory.spec();
            ProbeSettings probe = inbound.probe();
            inbounds.add(new InboundCheckpoint(inbound.port(), inbound.servicePort(), inbound.address(), inbound.service(),
                    inbound.tags(), inbound.health(),
                    probe == null ? null : new ProbeCheckpoint(probe.intervalMillis(), probe.timeoutMillis(),
                            probe.healthyThreshold(), probe.unhealthyThreshold(), probe.httpPath()),
                    memory.consecutiveSuccesses(), memory.consecutiveFailures(), memory.probeHealthy(),
                    memory.lastFailureDetail(), memory.customReady(), inboundView(memory.emitted()), memory.version()));
        }
        Subscription subscription = state.subscription();
        PodReadiness pod = state.pod();
        List<Long> ids = new ArrayList<>();
        for (long hash : state.recentIdHashes()) {
            ids.add(hash);
        }
        return new DataplaneCheckpoint(state.key().mesh(), state.key().name(),
                EnumsByName.ENVIRONMENT_TO_AVRO.map(state.environment()),
                spec == null ? null : spec.address(), spec == null ? null : spec.gatewayService(),
                spec == null ? null : spec.gatewayTags(), inbounds,
                subscription == null ? null : new SubscriptionCheckpoint(subscription.instance(), subscription.stream()),
                state.draining(), pod == null ? null : pod(pod), ids, proxyView(state.proxy()), state.proxyVersion(),
                memberRecords(state.memberships()), state.connectedSince(), true);
    }

    public static DataplaneState dataplane(DataplaneCheckpoint record) {
        List<InboundMemory> inbounds = new ArrayList<>(record.getInbounds().size());
        for (InboundCheckpoint inbound : record.getInbounds()) {
            ProbeCheckpoint probe = inbound.getProbe();
            InboundSpec spec = new InboundSpec(inbound.getPort(), inbound.getServicePort(), inbound.getAddress(),
                    inbound.getService().intern(), inbound.getHealth(),
                    probe == null ? null : new ProbeSettings(probe.getIntervalMillis(), probe.getTimeoutMillis(),
                            probe.getHealthyThreshold(), probe.getUnhealthyThreshold(), probe.getHttpPath()),
                    inbound.getTags() == null ? null : Tags.of(inbound.getTags()));
            inbounds.add(new InboundMemory(spec, inbound.getConsecutiveSuccesses(), inbound.getConsecutiveFailures(),
                    inbound.getProbeHealthy(), inbound.getLastFailureDetail(), inbound.getCustomReady(),
                    inboundView(inbound.getEmitted()), inbound.getVersion()));
        }
        SubscriptionCheckpoint subscription = record.getSubscription();
        long[] ids = record.getRecentIds().stream().mapToLong(Long::longValue).toArray();
        return DataplaneState.restore(new DataplaneKey(record.getMesh(), record.getDataplane()),
                EnumsByName.ENVIRONMENT_FROM_AVRO.map(record.getEnvironment()),
                record.getAddress(), record.getGatewayService(),
                record.getGatewayTags() == null ? null : Tags.of(record.getGatewayTags()), inbounds,
                subscription == null ? null : new Subscription(subscription.getInstance(), subscription.getStream()),
                record.getConnectedSince(), record.getDraining(), record.getPod() == null ? null : pod(record.getPod()), ids,
                proxyView(record.getProxy()), record.getProxyVersion(), members(record.getMemberships()));
    }

    /** A service's own checkpoint part, key {@code mesh/service}: what it last emitted and its version, no members. */
    public static ServiceCheckpoint service(ServiceState state) {
        ServiceSummary summary = state.summary();
        ServiceViewCheckpoint emitted = summary == null ? null : new ServiceViewCheckpoint(status(summary.status()),
                summary.dataplanes().total(), summary.dataplanes().online(), summary.dataplanes().offline(),
                summary.dataplanes().partiallyDegraded(), List.of(), summary.since());
        return new ServiceCheckpoint(state.key().mesh(), state.key().name(), Map.of(), emitted, state.version());
    }

    /** One member's checkpoint part, key {@link KeyFormat#serviceMember}: the member alone. */
    private static ServiceCheckpoint serviceMember(ServiceState state, String dataplane, MemberView member) {
        return new ServiceCheckpoint(state.key().mesh(), state.key().name(), memberRecords(Map.of(dataplane, member)), null,
                state.version());
    }

    /**
     * What stage 2's changelog gets after a flush of {@code state}, by key, in the order to write:
     * a part per member the flush updated, then the service's own part; a null value is a
     * tombstone (the member left, or the service is {@code gone}).
     */
    public static Map<String, ServiceCheckpoint> serviceParts(ServiceState state, boolean gone) {
        ServiceKey service = state.key();
        Map<String, ServiceCheckpoint> parts = new LinkedHashMap<>();
        for (Map.Entry<String, MemberView> member : state.memberParts().entrySet()) {
            parts.put(KeyFormat.serviceMember(service.mesh(), service.name(), member.getKey()),
                    member.getValue() == null ? null : serviceMember(state, member.getKey(), member.getValue()));
        }
        parts.put(service.toString(), gone ? null : service(state));
        return parts;
    }

    /**
     * Puts one record of stage 2's changelog back into {@code services}: a service's part or a
     * member's (told apart by the key), or a tombstone of either ({@code record} null).
     */
    public static void restore(ServiceFold services, String key, ServiceCheckpoint record) {
        if (KeyFormat.isServiceMember(key)) {
            String[] parts = KeyFormat.splitServiceMember(key);
            ServiceKey service = new ServiceKey(parts[0], parts[1]);
            if (record == null) {
                services.restoreMember(service, parts[2], null);
            } else {
                members(record.getMembers()).forEach((dataplane, member) -> services.restoreMember(service, dataplane, member));
            }
            return;
        }
        ServiceKey service = ServiceKey.parse(key);
        if (record == null) {
            services.forget(service);
            return;
        }
        ServiceViewCheckpoint emitted = record.getEmitted();
        services.restoreService(service, emitted == null ? null : status(emitted.getStatus()),
                emitted == null ? null : new ServiceCounts(emitted.getTotal(), emitted.getOnline(), emitted.getOffline(),
                        emitted.getPartiallyDegraded()),
                emitted == null ? null : emitted.getSince(), record.getVersion(), members(record.getMembers()));
    }

    private static InboundViewCheckpoint inboundView(InboundView view) {
        return view == null ? null : new InboundViewCheckpoint(view.port(), view.service(), view.ready(), view.address(),
                view.workloadPort(), view.reason(), view.serving(), view.terminating());
    }

    private static InboundView inboundView(InboundViewCheckpoint view) {
        if (view == null) {
            return null;
        }
        // A checkpoint before v3 kept neither flag: restored as a not-terminating inbound has them,
        // so an inbound that is terminating emits one change that corrects them, and no other does.
        boolean serving = view.getServing() != null ? view.getServing() : view.getReady();
        boolean terminating = view.getTerminating() != null && view.getTerminating();
        return new InboundView(view.getPort(), view.getService(), view.getReady(), serving, terminating, view.getAddress(),
                view.getWorkloadPort(), view.getReason());
    }

    private static ProxyViewCheckpoint proxyView(ProxyView view) {
        if (view == null) {
            return null;
        }
        List<InboundViewCheckpoint> inbounds = new ArrayList<>(view.inbounds().size());
        for (InboundView inbound : view.inbounds()) {
            inbounds.add(inboundView(inbound));
        }
        return new ProxyViewCheckpoint(status(view.status()), view.connected(),
                EnumsByName.ENVIRONMENT_TO_AVRO.map(view.environment()), view.address(), view.gateway(),
                view.services(), inbounds, view.reasons(), view.since(), view.connectedSince());
    }

    private static ProxyView proxyView(ProxyViewCheckpoint view) {
        if (view == null) {
            return null;
        }
        List<InboundView> inbounds = new ArrayList<>(view.getInbounds().size());
        for (InboundViewCheckpoint inbound : view.getInbounds()) {
            inbounds.add(inboundView(inbound));
        }
        return new ProxyView(status(view.getStatus()), view.getConnected(), EnumsByName.ENVIRONMENT_FROM_AVRO.map(view.getEnvironment()),
                view.getAddress(), view.getGateway(), view.getServices(), inbounds, view.getReasons(), view.getSince(),
                view.getConnectedSince());
    }

    private static PodCheckpoint pod(PodReadiness pod) {
        List<ContainerCheckpoint> containers = new ArrayList<>(pod.containers().size());
        for (PodContainer c : pod.containers()) {
            containers.add(new ContainerCheckpoint(c.name(), c.ready(), c.ports()));
        }
        return new PodCheckpoint(pod.terminating(), pod.sidecarReady(), containers);
    }

    private static PodReadiness pod(PodCheckpoint pod) {
        List<PodContainer> containers = new ArrayList<>(pod.getContainers().size());
        for (ContainerCheckpoint c : pod.getContainers()) {
            containers.add(new PodContainer(c.getName(), c.getReady(), c.getPorts()));
        }
        return new PodReadiness(pod.getTerminating(), pod.getSidecarReady(), containers);
    }

    private static Map<String, MemberCheckpoint> memberRecords(Map<String, MemberView> members) {
        Map<String, MemberCheckpoint> records = new LinkedHashMap<>();
        for (Map.Entry<String, MemberView> member : members.entrySet()) {
            records.put(member.getKey(), new MemberCheckpoint(status(member.getValue().status()),
                    endpoints(member.getValue().endpoints()), member.getValue().since()));
        }
        return records;
    }

    private static Map<String, MemberView> members(Map<String, MemberCheckpoint> records) {
        Map<String, MemberView> members = new TreeMap<>();
        for (Map.Entry<String, MemberCheckpoint> record : records.entrySet()) {
            members.put(record.getKey(), new MemberView(status(record.getValue().getStatus()),
                    fromRecords(record.getValue().getEndpoints()), record.getValue().getSince()));
        }
        return members;
    }

    private static List<io.vigil.avro.Endpoint> endpoints(List<Endpoint> endpoints) {
        List<io.vigil.avro.Endpoint> records = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            records.add(new io.vigil.avro.Endpoint(e.dataplane(), e.address(), e.port()));
        }
        return records;
    }

    private static List<Endpoint> fromRecords(List<io.vigil.avro.Endpoint> records) {
        List<Endpoint> endpoints = new ArrayList<>(records.size());
        for (io.vigil.avro.Endpoint e : records) {
            endpoints.add(new Endpoint(e.getDataplane(), e.getAddress(), e.getPort()));
        }
        return endpoints;
    }

    private static io.vigil.avro.HealthStatus status(HealthStatus status) {
        return EnumsByName.STATUS_TO_AVRO.map(Objects.requireNonNull(status));
    }

    private static HealthStatus status(io.vigil.avro.HealthStatus status) {
        return EnumsByName.STATUS_FROM_AVRO.map(Objects.requireNonNull(status));
    }
}
