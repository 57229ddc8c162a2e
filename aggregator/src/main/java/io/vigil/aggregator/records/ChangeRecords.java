package io.vigil.aggregator.records;

import io.vigil.aggregator.core.Cause;
import io.vigil.aggregator.core.Endpoint;
import io.vigil.aggregator.core.HealthStatus;
import io.vigil.aggregator.core.InboundChange;
import io.vigil.aggregator.core.InboundView;
import io.vigil.aggregator.core.MemberView;
import io.vigil.aggregator.core.MembershipChange;
import io.vigil.aggregator.core.ProxyChange;
import io.vigil.aggregator.core.ProxyView;
import io.vigil.aggregator.core.ServiceChange;
import io.vigil.aggregator.core.ServiceCounts;
import io.vigil.aggregator.core.ServiceSummary;
import io.vigil.aggregator.core.Source;
import io.vigil.avro.InboundState;
import io.vigil.avro.InboundSummary;
import io.vigil.avro.Member;
import io.vigil.avro.MembershipUpdate;
import io.vigil.avro.ProxyState;
import io.vigil.avro.ServiceEndpoints;
import io.vigil.avro.ServiceState;
import io.vigil.schemas.ServiceKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules' changes as the Avro records of the change and membership topics, and membership
 * records back as the rules' input to stage 2. Stateless and thread-safe.
 */
public final class ChangeRecords {

    private ChangeRecords() {
    }

    public static io.vigil.avro.InboundChange inbound(InboundChange change) {
        InboundView view = change.state();
        InboundState state = view == null ? null : new InboundState(view.service(), view.ready(), view.address(),
                view.workloadPort(), view.reason(), view.serving(), view.terminating());
        return new io.vigil.avro.InboundChange(change.dataplane().mesh(), change.dataplane().name(), change.port(), state,
                change.previousReady(), change.version(), cause(change.cause()));
    }

    public static io.vigil.avro.ProxyChange proxy(ProxyChange change) {
        return new io.vigil.avro.ProxyChange(change.dataplane().mesh(), change.dataplane().name(),
                change.state() == null ? null : proxyState(change.state()), status(change.previousStatus()),
                change.version(), cause(change.cause()));
    }

    public static ProxyState proxyState(ProxyView view) {
        List<InboundSummary> inbounds = new ArrayList<>(view.inbounds().size());
        for (InboundView inbound : view.inbounds()) {
            inbounds.add(new InboundSummary(inbound.port(), inbound.service(), inbound.ready(), inbound.address(),
                    inbound.serving(), inbound.terminating()));
        }
        return new ProxyState(status(view.status()), view.connected(),
                EnumsByName.ENVIRONMENT_TO_AVRO.map(view.environment()), view.address(), view.gateway(),
                view.services(), inbounds, view.reasons(), view.since(), view.connectedSince());
    }

    public static io.vigil.avro.ServiceChange service(ServiceChange change) {
        return new io.vigil.avro.ServiceChange(change.service().mesh(), change.service().name(),
                change.state() == null ? null : serviceState(change.state()), status(change.previousStatus()),
                change.version(), cause(change.cause()));
    }

    public static ServiceState serviceState(ServiceSummary summary) {
        ServiceCounts counts = summary.dataplanes();
        return new ServiceState(status(summary.status()),
                new io.vigil.avro.ServiceCounts(counts.total(), counts.online(), counts.offline(), counts.partiallyDegraded()),
                List.of(), summary.endpointCount(), summary.since());
    }

    /** One member's part of a service's load-balancing set, as of the service's {@code version}; null when it has none. */
    public static ServiceEndpoints serviceEndpoints(ServiceKey service, String dataplane, List<Endpoint> endpoints, long version) {
        return endpoints.isEmpty() ? null
                : new ServiceEndpoints(service.mesh(), service.name(), dataplane, endpoints(endpoints), version);
    }

    public static MembershipUpdate membership(MembershipChange change) {
        MemberView member = change.member();
        return new MembershipUpdate(change.service().mesh(), change.service().name(), change.dataplane(),
                member == null ? null : new Member(status(member.status()), endpoints(member.endpoints()), member.since()),
                cause(change.cause()));
    }

    /** A membership record read by stage 2, as the rules' input. */
    public static MembershipChange membership(MembershipUpdate update) {
        Member member = update.getMember();
        MemberView view = null;
        if (member != null) {
            List<Endpoint> endpoints = new ArrayList<>(member.getEndpoints().size());
            for (io.vigil.avro.Endpoint e : member.getEndpoints()) {
                endpoints.add(new Endpoint(e.getDataplane(), e.getAddress(), e.getPort()));
            }
            view = new MemberView(EnumsByName.STATUS_FROM_AVRO.map(member.getStatus()), endpoints, member.getSince());
        }
        return new MembershipChange(new ServiceKey(update.getMesh(), update.getService()), update.getDataplane(), view,
                cause(update.getCause()));
    }

    public static io.vigil.avro.Cause cause(Cause cause) {
        Source source = cause.source();
        return new io.vigil.avro.Cause(cause.eventType(), cause.eventId(),
                source == null ? null : source.topic(),
                source == null ? null : source.partition(),
                source == null ? null : source.offset(),
                cause.eventTime());
    }

    static Cause cause(io.vigil.avro.Cause cause) {
        Source source = cause.getTopic() == null ? null
                : new Source(cause.getTopic(), cause.getPartition(), cause.getOffset() == null ? -1 : cause.getOffset());
        return new Cause(cause.getEventType(), cause.getEventId(), source, cause.getEventTime());
    }

    private static io.vigil.avro.HealthStatus status(HealthStatus status) {
        return EnumsByName.STATUS_TO_AVRO.map(status);
    }

    /** Endpoints as the Avro records of the topics. */
    public static List<io.vigil.avro.Endpoint> endpoints(List<Endpoint> endpoints) {
        List<io.vigil.avro.Endpoint> records = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            records.add(new io.vigil.avro.Endpoint(e.dataplane(), e.address(), e.port()));
        }
        return records;
    }
}
