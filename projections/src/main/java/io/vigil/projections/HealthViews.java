package io.vigil.projections;

import io.vigil.avro.Endpoint;
import io.vigil.avro.InboundChange;
import io.vigil.avro.InboundState;
import io.vigil.avro.ProxyChange;
import io.vigil.avro.ProxyState;
import io.vigil.avro.ServiceChange;
import io.vigil.avro.ServiceEndpoints;
import io.vigil.avro.ServiceState;
import io.vigil.schemas.KeyFormat;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The materialized health of every dataplane and service, as the change topics tell it. A change
 * applies only when it is newer (by per-entity version) than what the view holds, so a replayed
 * or older change never overwrites a newer one; a tombstone removes the entity, and an entity
 * created again starts over at version 1.
 *
 * <p>Inbounds are kept too (their state and version, not in any REST answer): a live stream opened
 * with {@code ?initial=true} sends every entity's current state, inbounds included.
 *
 * <p>Thread-safe: one follower thread applies changes, request threads read. Reads of several
 * entities see each entity consistently, not the whole view at one instant; a reader that needs
 * the views at one position takes them under the {@link ChangeBroadcast}'s monitor, under which
 * the follower applies each change ({@link ChangeBroadcast#publish}).
 */
@ApplicationScoped
public class HealthViews {

    /** One entity's state and the version it came with. */
    public record Versioned<T>(T state, long version) {
    }

    /** Entities of one mesh in name order, and whether more that match follow them. */
    public record Page<T>(List<Map.Entry<String[], Versioned<T>>> entries, boolean more) {
    }

    /** Endpoints of a service from {@code after} on, and where the next page resumes (null: no more). */
    public record EndpointPage(List<Endpoint> endpoints, EndpointCursor next) {
    }

    /** Where an endpoint page resumes: after this dataplane's endpoint on this port. */
    public record EndpointCursor(String dataplane, int port) {
    }

    /** An inbound: its dataplane and port. */
    public record InboundKey(String mesh, String dataplane, int port) {
    }

    /** Key {@code mesh} then {@code name}: sorted, as SPEC section 5 lists them. */
    private final ConcurrentSkipListMap<String[], Versioned<ProxyState>> dataplanes = new ConcurrentSkipListMap<>(KEY_ORDER);
    private final ConcurrentSkipListMap<String[], Versioned<ServiceState>> services = new ConcurrentSkipListMap<>(KEY_ORDER);
    private final ConcurrentSkipListMap<InboundKey, Versioned<InboundState>> inbounds = new ConcurrentSkipListMap<>(INBOUND_ORDER);

    /**
     * Each service member's endpoints ({@code vigil.service-endpoints}), key {@code {mesh, service,
     * dataplane}}: sorted as SPEC section 5 lists endpoints (a member's own are by port).
     */
    private final ConcurrentSkipListMap<String[], List<Endpoint>> endpointParts = new ConcurrentSkipListMap<>(PART_ORDER);

    private static final Comparator<String[]> KEY_ORDER = Comparator.<String[], String>comparing(k -> k[0]).thenComparing(k -> k[1]);
    /** {@code {mesh, service, dataplane}}; a null dataplane sorts after every name, to end a service's range. */
    private static final Comparator<InboundKey> INBOUND_ORDER = Comparator.comparing(InboundKey::mesh)
            .thenComparing(InboundKey::dataplane).thenComparingInt(InboundKey::port);
    private static final Comparator<String[]> PART_ORDER = KEY_ORDER.thenComparing(k -> k[2], Comparator.nullsLast(Comparator.naturalOrder()));

    public void apply(ProxyChange change) {
        apply(dataplanes, new String[] {change.getMesh(), change.getDataplane()}, change.getState(), change.getVersion());
    }

    public void apply(ServiceChange change) {
        apply(services, new String[] {change.getMesh(), change.getService()}, change.getState(), change.getVersion());
    }

    public void apply(InboundChange change) {
        apply(inbounds, new InboundKey(change.getMesh(), change.getDataplane(), change.getPort()), change.getState(), change.getVersion());
    }

    /**
     * One member's part of a service's endpoints, key {@code mesh/service/dataplane}; null: it has
     * none any more. A partition is read in order, so the latest part of a key is the one to keep.
     */
    public void applyEndpoints(String key, ServiceEndpoints part) {
        String[] parts = KeyFormat.splitServiceEndpoints(key);
        if (part == null) {
            endpointParts.remove(parts);
        } else {
            endpointParts.put(parts, List.copyOf(part.getEndpoints()));
        }
    }

    /**
     * A service's endpoints, by dataplane then port, as the parts hold them; those of a service
     * change written before the parts existed (schema v1, {@code endpointCount} -1) are inline.
     */
    public Iterable<Endpoint> endpoints(String mesh, String service, ServiceState state) {
        if (state.getEndpointCount() < 0) {
            return state.getEndpoints();
        }
        List<Endpoint> endpoints = new ArrayList<>(Math.max(state.getEndpointCount(), 0));
        for (List<Endpoint> part : memberRange(mesh, service, null).values()) {
            endpoints.addAll(part);
        }
        return endpoints;
    }

    /** Up to {@code size} of a service's endpoints, from just after {@code after} (null: the first), by dataplane then port. */
    public EndpointPage endpointPage(String mesh, String service, ServiceState state, EndpointCursor after, int size) {
        List<Endpoint> page = new ArrayList<>(Math.min(size, 64));
        Iterable<Endpoint> endpoints = state.getEndpointCount() < 0 ? state.getEndpoints()
                : () -> memberRange(mesh, service, after == null ? null : after.dataplane()).values().stream()
                        .flatMap(List::stream).iterator();
        for (Endpoint endpoint : endpoints) {
            if (after != null && !isAfter(endpoint, after)) {
                continue;
            }
            if (page.size() == size) {
                Endpoint last = page.get(size - 1);
                return new EndpointPage(page, new EndpointCursor(last.getDataplane(), last.getPort()));
            }
            page.add(endpoint);
        }
        return new EndpointPage(page, null);
    }

    private static boolean isAfter(Endpoint endpoint, EndpointCursor cursor) {
        int byDataplane = endpoint.getDataplane().compareTo(cursor.dataplane());
        return byDataplane > 0 || byDataplane == 0 && endpoint.getPort() > cursor.port();
    }

    /** The parts of one service, from {@code fromDataplane} (inclusive; null: the first). */
    private NavigableMap<String[], List<Endpoint>> memberRange(String mesh, String service, String fromDataplane) {
        return endpointParts.subMap(new String[] {mesh, service, fromDataplane == null ? "" : fromDataplane}, true,
                new String[] {mesh, service, null}, false);
    }

    private static <K, T> void apply(ConcurrentSkipListMap<K, Versioned<T>> view, K key, T state, long version) {
        view.compute(key, (k, current) -> {
            if (current != null && version <= current.version()) {
                return current;
            }
            return state == null ? null : new Versioned<>(state, version);
        });
    }

    public Versioned<ProxyState> dataplane(String mesh, String name) {
        return dataplanes.get(new String[] {mesh, name});
    }

    public Versioned<ServiceState> service(String mesh, String name) {
        return services.get(new String[] {mesh, name});
    }

    /**
     * Every dataplane of the meshes {@code scope} allows, sorted by mesh then name; only those of
     * {@code mesh} when it is not null. Other meshes' entities are never looked at.
     */
    public List<Map.Entry<String[], Versioned<ProxyState>>> dataplanes(String mesh, ReadScope scope) {
        return entries(dataplanes, mesh, scope, m -> meshRange(dataplanes, m));
    }

    /** Like {@link #dataplanes}, for services. */
    public List<Map.Entry<String[], Versioned<ServiceState>>> services(String mesh, ReadScope scope) {
        return entries(services, mesh, scope, m -> meshRange(services, m));
    }

    /** Like {@link #dataplanes}, for inbounds, sorted by mesh, dataplane and port. */
    public List<Map.Entry<InboundKey, Versioned<InboundState>>> inbounds(String mesh, ReadScope scope) {
        return entries(inbounds, mesh, scope, m -> inbounds.subMap(new InboundKey(m, "", Integer.MIN_VALUE), true,
                new InboundKey(m + "\0", "", Integer.MIN_VALUE), false));
    }

    /**
     * Up to {@code size} of {@code mesh}'s dataplanes named after {@code after} (null: from the first),
     * starting with {@code prefix} and passing {@code filter}, in name order.
     */
    public Page<ProxyState> dataplanePage(String mesh, String after, String prefix, int size, BiPredicate<String, ProxyState> filter) {
        return page(dataplanes, mesh, after, prefix, size, filter);
    }

    /** Like {@link #dataplanePage}, for services. */
    public Page<ServiceState> servicePage(String mesh, String after, String prefix, int size, BiPredicate<String, ServiceState> filter) {
        return page(services, mesh, after, prefix, size, filter);
    }

    /** {@code meshRange} gives one mesh's part of {@code view}. */
    private static <K, T> List<Map.Entry<K, Versioned<T>>> entries(NavigableMap<K, Versioned<T>> view, String mesh, ReadScope scope,
                                                                    Function<String, NavigableMap<K, Versioned<T>>> meshRange) {
        if (mesh != null) {
            return scope.allows(mesh) ? new ArrayList<>(meshRange.apply(mesh).entrySet()) : new ArrayList<>();
        }
        if (scope.everyMesh()) {
            return new ArrayList<>(view.entrySet());
        }
        List<Map.Entry<K, Versioned<T>>> entries = new ArrayList<>();
        for (String allowed : new TreeSet<>(scope.meshes())) {
            entries.addAll(meshRange.apply(allowed).entrySet());
        }
        return entries;
    }

    /**
     * Walks the view from just after {@code after} (or from {@code prefix}, whichever is further)
     * and stops at the first name without the prefix (names with a prefix sort together) or at the
     * match after the {@code size}-th: the cost is the page plus what the filter skips, not the mesh.
     */
    private static <T> Page<T> page(ConcurrentSkipListMap<String[], Versioned<T>> view, String mesh, String after, String prefix,
                                    int size, BiPredicate<String, T> filter) {
        NavigableMap<String[], Versioned<T>> range = meshRange(view, mesh);
        range = after != null && after.compareTo(prefix) >= 0
                ? range.tailMap(new String[] {mesh, after}, false)
                : range.tailMap(new String[] {mesh, prefix}, true);
        List<Map.Entry<String[], Versioned<T>>> entries = new ArrayList<>(Math.min(size, 64));
        for (Map.Entry<String[], Versioned<T>> entry : range.entrySet()) {
            String name = entry.getKey()[1];
            if (!name.startsWith(prefix)) {
                break;
            }
            if (!filter.test(name, entry.getValue().state())) {
                continue;
            }
            if (entries.size() == size) {
                return new Page<>(entries, true);
            }
            entries.add(entry);
        }
        return new Page<>(entries, false);
    }

    /** Every key {@code {mesh, name}}: from the empty name up to, not including, the next mesh ({@code mesh + "\0"}). */
    private static <T> NavigableMap<String[], Versioned<T>> meshRange(ConcurrentSkipListMap<String[], Versioned<T>> view, String mesh) {
        return view.subMap(new String[] {mesh, ""}, true, new String[] {mesh + "\0", ""}, false);
    }
}
