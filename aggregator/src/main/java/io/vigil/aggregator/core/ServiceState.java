package io.vigil.aggregator.core;

import io.vigil.schemas.ServiceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One service's members and what it last emitted. Counts are kept incrementally and a flush looks
 * only at the members updated since the last one, so a membership update costs the same whatever
 * the service's size; the whole endpoint list is built only when asked for ({@link #view}).
 *
 * <p>Each flush also leaves, for the stage to write, the parts that changed: the endpoints of
 * every member whose endpoints changed ({@link #endpointParts}) and every updated member
 * ({@link #memberParts}), so neither a change nor a checkpoint record grows with the service.
 *
 * <p>Mutable and not thread-safe: one partition's processing thread owns it, through {@link ServiceFold}.
 */
public final class ServiceState {

    final ServiceKey key;
    /**
     * By dataplane name. Hashed, not sorted: every membership update finds its member here, and
     * the member's name is its dataplane key's own string, whose hash is cached, so this costs
     * one or two reads where a tree walks a string comparison per level. Only {@link #view}, for
     * {@code vigil replay}, needs the members in order, and sorts them.
     */
    final Map<String, MemberView> members = new HashMap<>();
    int online;
    int offline;
    int partiallyDegraded;
    int endpointCount;
    /** How many members have each known since, kept with the counts so a flush need not visit every member. */
    private final TreeMap<Instant, Integer> memberSinces = new TreeMap<>();
    /** What the last change said; null before the first change and after a tombstone. */
    private HealthStatus emittedStatus;
    private ServiceCounts emittedCounts;
    private Instant emittedSince;
    long version;
    /** A member changed since the last flush; this cause is the latest such change's. */
    Cause pendingCause;
    /** The members updated since the last flush, each with its endpoints as of that flush. */
    private final Map<String, List<Endpoint>> endpointsAtFlush = new HashMap<>();
    /** Restored from a checkpoint older than the parts: its members' endpoint parts were never written. */
    private boolean partsUnwritten;
    private SortedMap<String, List<Endpoint>> endpointParts = Collections.emptySortedMap();
    private SortedMap<String, MemberView> memberParts = Collections.emptySortedMap();

    ServiceState(ServiceKey key) {
        this.key = key;
    }

    public ServiceKey key() {
        return key;
    }

    /** Each member dataplane's contribution, by dataplane name. */
    public Map<String, MemberView> members() {
        return Collections.unmodifiableMap(members);
    }

    /** What the service's last change said, or null before its first change. */
    public ServiceSummary summary() {
        return emittedStatus == null ? null : new ServiceSummary(emittedStatus, emittedCounts, endpointCount, emittedSince);
    }

    /** The service as last emitted, its whole endpoint list included (built now), or null before its first change. */
    public ServiceView view() {
        return emittedStatus == null ? null : new ServiceView(emittedStatus, emittedCounts, endpoints(), emittedSince);
    }

    public long version() {
        return version;
    }

    /**
     * The last flush's endpoint parts, by dataplane: the endpoints of each member whose endpoints
     * changed (an empty list: it has none left in this service).
     */
    public SortedMap<String, List<Endpoint>> endpointParts() {
        return endpointParts;
    }

    /** The last flush's member parts, by dataplane: each member updated (null: it left). */
    public SortedMap<String, MemberView> memberParts() {
        return memberParts;
    }

    /** Puts back what a service's checkpoint says it emitted; a checkpoint older than the parts also holds every member. */
    void restoreEmitted(HealthStatus status, ServiceCounts counts, Instant since, long version,
                        Map<String, MemberView> everyMember) {
        emittedStatus = status;
        emittedCounts = counts;
        emittedSince = since;
        this.version = version;
        for (Map.Entry<String, MemberView> member : everyMember.entrySet()) {
            restoreMember(member.getKey(), member.getValue());
        }
        partsUnwritten |= !everyMember.isEmpty();
    }

    /** Puts back one member from its checkpoint part (null: it left). */
    void restoreMember(String dataplane, MemberView member) {
        MemberView previous = member == null ? members.remove(dataplane) : members.put(dataplane, member);
        recount(previous, member);
    }

    void apply(MembershipChange change) {
        MemberView previous = change.member() == null
                ? members.remove(change.dataplane())
                : members.put(change.dataplane(), change.member());
        recount(previous, change.member());
        pendingCause = change.cause();
        endpointsAtFlush.putIfAbsent(change.dataplane(), previous == null ? List.of() : previous.endpoints());
    }

    /** Moves a member's share of the counts from its previous view to its new one (null: absent). */
    private void recount(MemberView previous, MemberView member) {
        count(previous, -1);
        count(member, +1);
        Instant sinceBefore = previous == null ? null : previous.since();
        Instant since = member == null ? null : member.since();
        // An update that keeps the member's since leaves the tree as it was: skip taking it out and putting it back.
        if (!Objects.equals(sinceBefore, since)) {
            countSince(sinceBefore, -1);
            countSince(since, +1);
        }
    }

    private void count(MemberView member, int delta) {
        if (member == null) {
            return;
        }
        switch (member.status()) {
            case ONLINE -> online += delta;
            case OFFLINE -> offline += delta;
            case PARTIALLY_DEGRADED -> partiallyDegraded += delta;
        }
        endpointCount += delta * member.endpoints().size();
    }

    private void countSince(Instant since, int delta) {
        if (since != null) {
            memberSinces.merge(since, delta, (had, change) -> had + change == 0 ? null : had + change);
        }
    }

    /** The change the updates since the last flush add up to, or null when they cancel out; leaves the parts to write. */
    ServiceChange flush() {
        boolean endpointsChanged = collectParts();
        Cause cause = pendingCause;
        pendingCause = null;
        if (cause == null) {
            return null;
        }
        HealthStatus previous = emittedStatus;
        if (members.isEmpty()) {
            if (emittedStatus == null) {
                return null;
            }
            emittedStatus = null;
            emittedCounts = null;
            emittedSince = null;
            return new ServiceChange(key, null, previous, ++version, cause);
        }
        ServiceCounts counts = new ServiceCounts(members.size(), online, offline, partiallyDegraded);
        HealthStatus status = HealthStatus.of(online, members.size());
        // The newest of its members' since (when the newest of them joined or got its status): a
        // function of the members it has, not of the order their updates came in, which stage 2
        // does not see in the event log's order; a member that left does not count.
        Instant since = memberSinces.isEmpty() ? null : memberSinces.lastKey();
        if (status == emittedStatus && counts.equals(emittedCounts) && !endpointsChanged && Objects.equals(since, emittedSince)) {
            return null;
        }
        emittedStatus = status;
        emittedCounts = counts;
        emittedSince = since;
        return new ServiceChange(key, new ServiceSummary(status, counts, endpointCount, since), previous, ++version, cause);
    }

    /** Fills the parts of this flush; whether some member's endpoints changed since the last one. */
    private boolean collectParts() {
        endpointParts = new TreeMap<>();
        memberParts = new TreeMap<>();
        if (partsUnwritten) {
            partsUnwritten = false;
            for (Map.Entry<String, MemberView> member : members.entrySet()) {
                memberParts.put(member.getKey(), member.getValue());
                if (!member.getValue().endpoints().isEmpty()) {
                    endpointParts.put(member.getKey(), member.getValue().endpoints());
                }
            }
        }
        boolean changed = false;
        for (Map.Entry<String, List<Endpoint>> updated : endpointsAtFlush.entrySet()) {
            MemberView now = members.get(updated.getKey());
            memberParts.put(updated.getKey(), now);
            List<Endpoint> endpoints = now == null ? List.of() : now.endpoints();
            if (!endpoints.equals(updated.getValue())) {
                endpointParts.put(updated.getKey(), endpoints);
                changed = true;
            }
        }
        endpointsAtFlush.clear();
        return changed;
    }

    /** By dataplane, then port (each member's endpoints are by port). */
    private List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>(endpointCount);
        for (MemberView member : new TreeMap<>(members).values()) {
            endpoints.addAll(member.endpoints());
        }
        return endpoints;
    }

    boolean isGone() {
        return members.isEmpty() && emittedStatus == null && pendingCause == null;
    }
}
