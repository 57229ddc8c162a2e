package io.vigil.aggregator.core;

import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.ServiceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stage 1's rules (SPEC sections 1 to 3): a dataplane's state plus one event gives its next
 * state, the inbound and proxy changes, and the membership updates for its services.
 *
 * <p>Pure apart from updating the given state in place: no clock, no I/O, no randomness, so
 * replaying the same events gives the same changes, version for version. Call it from the one
 * thread that owns the state.
 */
public final class DataplaneFold {

    static final String NOT_CONNECTED = "not connected to the control plane";

    private DataplaneFold() {
    }

    /**
     * @param state the dataplane's state, or null when nothing is known about it
     */
    public static DataplaneChanges apply(DataplaneState state, Event event) {
        if (event.id() != null && state != null && state.recentIds.contains(event.id())) {
            return DataplaneChanges.quiet(state, false);
        }
        if (event.payload() instanceof DataplaneDeleted) {
            return delete(state, Cause.of(event));
        }
        DataplaneState s = state != null ? state : new DataplaneState(event.dataplane());
        boolean changed = state == null;
        if (event.id() != null) {
            s.recentIds.add(event.id());
            changed = true;
        }
        List<InboundTrack> removed = List.of();
        EventPayload payload = event.payload();
        if (payload instanceof DataplaneUpserted upserted) {
            removed = s.upsert(upserted);
            changed = true;
        } else if (payload instanceof StreamConnected connected) {
            if (s.subscription == null) {
                s.connectedSince = event.time();
            }
            s.subscription = Subscription.openedBy(connected);
            s.draining = false;
            changed = true;
        } else if (payload instanceof StreamDisconnected disconnected) {
            if (s.subscription != null && s.subscription.closedBy(disconnected)) {
                s.subscription = null;
                s.connectedSince = null;
                changed = true;
            }
        } else if (payload instanceof ProbeResult probe) {
            InboundTrack track = s.inbound(probe.port());
            if (track != null && s.environment == Environment.UNIVERSAL && track.probed()) {
                changed |= track.recordProbe(probe.healthy(), probe.detail());
            }
        } else if (payload instanceof PodReadiness pod) {
            changed |= !pod.equals(s.pod);
            s.pod = pod;
        } else if (payload instanceof DataplaneDraining) {
            changed |= !s.draining;
            s.draining = true;
        } else if (payload instanceof InboundHealthSet health) {
            InboundTrack track = s.inbound(health.port());
            if (track != null && s.environment == Environment.UNIVERSAL && !track.probed()) {
                changed |= track.setCustomReady(health.ready());
            }
        }
        if (s.spec == null || !changed
                || !(payload instanceof DataplaneUpserted) && looksTheSame(s)) {
            return DataplaneChanges.quiet(s, changed);
        }
        return emit(s, Cause.of(event), removed);
    }

    private static DataplaneChanges delete(DataplaneState state, Cause cause) {
        if (state == null || state.spec == null) {
            return DataplaneChanges.quiet(null, state != null);
        }
        List<InboundChange> inbound = new ArrayList<>(state.inbounds.length);
        for (InboundTrack track : state.inbounds) {
            inbound.add(tombstone(state.key, track, cause));
        }
        ProxyChange proxy = new ProxyChange(state.key, null, state.emittedProxy.status(), state.proxyVersion + 1, cause);
        List<MembershipChange> membership = new ArrayList<>(state.memberships.size());
        for (String service : state.memberships.keySet()) {
            membership.add(new MembershipChange(new ServiceKey(state.key.mesh(), service), state.key.name(), null, cause));
        }
        return new DataplaneChanges(null, inbound, proxy, membership, true);
    }

    private static InboundChange tombstone(DataplaneKey key, InboundTrack track, Cause cause) {
        return new InboundChange(key, track.spec.port(), null, track.emitted.ready(), track.version + 1, cause);
    }

    /**
     * Whether the proxy view would come out as last emitted, checked without building it: the
     * common case (a probe result that moves a counter, a repeated fact) allocates nothing.
     * Only valid when the inbound set did not change, i.e. not after an upsert.
     */
    private static boolean looksTheSame(DataplaneState s) {
        ProxyView emitted = s.emittedProxy;
        if (emitted.connected() != (s.subscription != null)) {
            return false;
        }
        List<InboundView> views = emitted.inbounds();
        for (int i = 0; i < views.size(); i++) {
            InboundTrack track = s.inbounds[i];
            InboundView view = views.get(i);
            boolean ready = InboundReadiness.isReady(s, track);
            if (ready != view.ready() || InboundReadiness.isServing(s, track) != view.serving()
                    || InboundReadiness.isTerminating(s) != view.terminating()
                    || !ready && !InboundReadiness.reason(s, track).equals(view.reason())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares what the state now says with what was last emitted, and emits the differences. An
     * inbound change needs its readiness, serving, terminating, service or address to change; the
     * proxy view also follows its reasons, so "why" stays current (counters stop at their
     * thresholds, so this adds at most a threshold's worth of changes per episode).
     */
    private static DataplaneChanges emit(DataplaneState s, Cause cause, List<InboundTrack> removed) {
        List<InboundChange> inbound = List.of();
        for (InboundTrack track : removed) {
            inbound = append(inbound, tombstone(s.key, track, cause));
        }
        List<InboundView> views = new ArrayList<>(s.inbounds.length);
        int ready = 0;
        for (InboundTrack track : s.inbounds) {
            InboundView view = view(s, track);
            views.add(view);
            if (view.ready()) {
                ready++;
            }
            if (!view.sameHealth(track.emitted)) {
                Boolean previous = track.emitted == null ? null : track.emitted.ready();
                track.emitted = view;
                track.version++;
                inbound = append(inbound, new InboundChange(s.key, track.spec.port(), view, previous, track.version, cause));
            }
        }
        ProxyView before = s.emittedProxy;
        ProxyView after = proxyView(s, views, ready, before, cause);
        ProxyChange proxy = null;
        if (!after.equals(before)) {
            s.emittedProxy = after;
            s.proxyVersion++;
            proxy = new ProxyChange(s.key, after, before == null ? null : before.status(), s.proxyVersion, cause);
        }
        List<MembershipChange> membership = inbound.isEmpty() && proxy == null ? List.of() : membership(s, after, cause);
        return new DataplaneChanges(s, inbound, proxy, membership, true);
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> grown = list.isEmpty() ? new ArrayList<>(4) : list;
        grown.add(item);
        return grown;
    }

    private static InboundView view(DataplaneState s, InboundTrack track) {
        InboundSpec spec = track.spec;
        String address = s.spec.addressOf(spec);
        boolean ready = InboundReadiness.isReady(s, track);
        return new InboundView(spec.port(), spec.service(), ready, InboundReadiness.isServing(s, track),
                InboundReadiness.isTerminating(s), address, spec.workloadPort(),
                ready ? null : InboundReadiness.reason(s, track));
    }

    /** SPEC section 3. */
    private static HealthStatus proxyStatus(DataplaneState s, int readyInbounds) {
        if (s.subscription == null) {
            return HealthStatus.OFFLINE;
        }
        if (s.spec.isGateway() || s.inbounds.length == 0) {
            return HealthStatus.ONLINE;
        }
        return HealthStatus.of(readyInbounds, s.inbounds.length);
    }

    /**
     * The proxy view now. {@code since} moves only with the status, to this change's event time,
     * so it never makes a change on its own and replay gives the same value.
     */
    private static ProxyView proxyView(DataplaneState s, List<InboundView> inbounds, int ready, ProxyView before, Cause cause) {
        boolean connected = s.subscription != null;
        TreeSet<String> services = new TreeSet<>();
        List<String> reasons = new ArrayList<>();
        if (!connected) {
            reasons.add(NOT_CONNECTED);
        }
        for (InboundView view : inbounds) {
            services.add(view.service());
            if (!view.ready()) {
                reasons.add("inbound[port=" + view.port() + ", service=" + view.service() + "] not ready: " + view.reason());
            }
        }
        if (s.spec.isGateway()) {
            services.add(s.spec.gatewayService());
        }
        HealthStatus status = proxyStatus(s, ready);
        Instant since = before != null && before.status() == status ? before.since() : cause.eventTime();
        return new ProxyView(status, connected, s.environment, s.spec.address(), s.spec.isGateway(),
                List.copyOf(services), inbounds, reasons, since, s.connectedSince);
    }

    /**
     * SPEC section 4: the dataplane counts once per service it serves, with its whole status and
     * its ready inbounds of that service. Emits only what differs from what each service heard.
     */
    private static List<MembershipChange> membership(DataplaneState s, ProxyView proxy, Cause cause) {
        Map<String, List<Endpoint>> endpoints = new TreeMap<>();
        for (String service : proxy.services()) {
            endpoints.put(service, new ArrayList<>(2));
        }
        for (InboundView inbound : proxy.inbounds()) {
            if (inbound.ready()) {
                endpoints.get(inbound.service()).add(new Endpoint(s.key.name(), inbound.address(), inbound.port()));
            }
        }
        List<MembershipChange> changes = List.of();
        Map<String, MemberView> now = new TreeMap<>();
        for (Map.Entry<String, List<Endpoint>> entry : endpoints.entrySet()) {
            MemberView before = s.memberships.get(entry.getKey());
            // As the service sees it, the member's status began when it joined, or when it changed since.
            Instant since = before != null && before.status() == proxy.status() ? before.since() : cause.eventTime();
            MemberView member = new MemberView(proxy.status(), entry.getValue(), since);
            now.put(entry.getKey(), member);
            if (!member.equals(before)) {
                changes = append(changes, new MembershipChange(
                        new ServiceKey(s.key.mesh(), entry.getKey()), s.key.name(), member, cause));
            }
        }
        for (String service : s.memberships.keySet()) {
            if (!now.containsKey(service)) {
                changes = append(changes, new MembershipChange(new ServiceKey(s.key.mesh(), service), s.key.name(), null, cause));
            }
        }
        s.memberships = now;
        return changes;
    }
}
