package io.vigil.aggregator.core;

import io.vigil.schemas.DataplaneKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the fold remembers about one dataplane: the facts so far (spec, subscription,
 * drain, pod status, probe counters, recent event ids) and what it last emitted (views,
 * versions, memberships). Facts that arrive before the upsert are kept here and count once the
 * resource arrives.
 *
 * <p>Mutable and not thread-safe: one partition's processing thread owns it, and only
 * {@link DataplaneFold} changes it.
 */
public final class DataplaneState {

    private static final InboundTrack[] NO_INBOUNDS = {};
    private static final int[] NO_PORTS = {};

    final DataplaneKey key;
    Environment environment;
    /** Null until the first {@code dataplane-upserted}. */
    DataplaneSpec spec;
    /** The open xDS stream, or null when not connected. */
    Subscription subscription;
    /**
     * The event time of the {@code stream-connected} that opened the current connected period
     * (a stream replacing an open one continues it); null when not connected, or when restored
     * from a checkpoint that did not keep it.
     */
    Instant connectedSince;
    boolean draining;
    PodReadiness pod;
    /** Sorted by port, like {@code spec.inbounds()}. */
    InboundTrack[] inbounds = NO_INBOUNDS;
    /**
     * {@code inbounds}' ports, in the same order: a probe result or custom health finds its
     * inbound by scanning these, one array, instead of reading each track and its spec.
     */
    int[] ports = NO_PORTS;
    final RecentIds recentIds;
    ProxyView emittedProxy;
    long proxyVersion;
    /** What each service last heard from this dataplane, by service name. */
    Map<String, MemberView> memberships = Map.of();

    DataplaneState(DataplaneKey key) {
        this(key, new RecentIds());
    }

    /** A state as a checkpoint recorded it (see {@link #environment()} and the other accessors). */
    public static DataplaneState restore(DataplaneKey key, Environment environment, String address, String gatewayService,
                                         Map<String, String> gatewayTags, List<InboundMemory> inbounds, Subscription subscription, Instant connectedSince, boolean draining,
                                         PodReadiness pod, long[] recentIds, ProxyView proxy, long proxyVersion,
                                         Map<String, MemberView> memberships) {
        DataplaneState state = new DataplaneState(key, RecentIds.of(recentIds));
        state.environment = environment;
        if (address != null) {
            state.spec = new DataplaneSpec(address, inbounds.stream().map(InboundMemory::spec).toList(), gatewayService, gatewayTags);
        }
        List<InboundTrack> tracks = new ArrayList<>(inbounds.size());
        for (InboundMemory memory : state.spec == null ? List.<InboundMemory>of() : inbounds) {
            tracks.add(InboundTrack.restore(memory));
        }
        state.setInbounds(tracks.toArray(NO_INBOUNDS));
        state.subscription = subscription;
        state.connectedSince = subscription == null ? null : connectedSince;
        state.draining = draining;
        state.pod = pod;
        state.emittedProxy = proxy;
        state.proxyVersion = proxyVersion;
        state.memberships = new TreeMap<>(memberships);
        return state;
    }

    private DataplaneState(DataplaneKey key, RecentIds recentIds) {
        this.key = key;
        this.recentIds = recentIds;
    }

    /** From the last upsert; null before the first. */
    public Environment environment() {
        return environment;
    }

    /** The last upserted spec; null before the first upsert. */
    public DataplaneSpec spec() {
        return spec;
    }

    public Subscription subscription() {
        return subscription;
    }

    /** See {@link #connectedSince the field}. */
    public Instant connectedSince() {
        return connectedSince;
    }

    public boolean draining() {
        return draining;
    }

    public PodReadiness pod() {
        return pod;
    }

    /** Each inbound's memory, by port. */
    public List<InboundMemory> inboundMemories() {
        return Arrays.stream(inbounds).map(InboundTrack::memory).toList();
    }

    /** Hashes of the recent event ids, oldest first. */
    public long[] recentIdHashes() {
        return recentIds.toArray();
    }

    /** What each of its services last heard from it. */
    public Map<String, MemberView> memberships() {
        return memberships;
    }

    public DataplaneKey key() {
        return key;
    }

    /** The proxy as last emitted, or null before the upsert. */
    public ProxyView proxy() {
        return emittedProxy;
    }

    public long proxyVersion() {
        return proxyVersion;
    }

    InboundTrack inbound(int port) {
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] == port) {
                return inbounds[i];
            }
        }
        return null;
    }

    private void setInbounds(InboundTrack[] tracks) {
        inbounds = tracks;
        ports = new int[tracks.length];
        for (int i = 0; i < tracks.length; i++) {
            ports[i] = tracks[i].spec.port();
        }
    }

    /** Applies an upsert to the inbound tracks; returns the tracks of inbounds it removed. */
    List<InboundTrack> upsert(DataplaneUpserted upserted) {
        environment = upserted.environment();
        spec = upserted.spec();
        InboundTrack[] previous = inbounds;
        InboundTrack[] next = new InboundTrack[spec.inbounds().size()];
        for (int i = 0; i < next.length; i++) {
            InboundSpec inbound = spec.inbounds().get(i);
            InboundTrack track = inbound(inbound.port());
            if (track == null) {
                track = new InboundTrack(inbound);
            } else {
                track.respec(inbound);
            }
            next[i] = track;
        }
        setInbounds(next);
        List<InboundTrack> removed = List.of();
        for (InboundTrack track : previous) {
            if (inbound(track.spec.port()) != track) {
                removed = removed.isEmpty() ? new ArrayList<>(2) : removed;
                removed.add(track);
            }
        }
        return removed;
    }
}
