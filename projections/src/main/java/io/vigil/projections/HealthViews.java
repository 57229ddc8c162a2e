package io.vigil.projections;

import io.vigil.avro.ProxyChange;
import io.vigil.avro.ProxyState;
import io.vigil.avro.ServiceChange;
import io.vigil.avro.ServiceState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiPredicate;

/**
 * The materialized health of every dataplane and service, as the change topics tell it. A change
 * applies only when it is newer (by per-entity version) than what the view holds, so a replayed
 * or older change never overwrites a newer one; a tombstone removes the entity, and an entity
 * created again starts over at version 1.
 *
 * <p>Thread-safe: one follower thread applies changes, request threads read. Reads of several
 * entities see each entity consistently, not the whole view at one instant.
 */
@ApplicationScoped
public class HealthViews {

    /** One entity's state and the version it came with. */
    public record Versioned<T>(T state, long version) {
    }

    /** Entities of one mesh in name order, and whether more that match follow them. */
    public record Page<T>(List<Map.Entry<String[], Versioned<T>>> entries, boolean more) {
    }

    /** Key {@code mesh} then {@code name}: sorted, as SPEC section 5 lists them. */
    private final ConcurrentSkipListMap<String[], Versioned<ProxyState>> dataplanes = new ConcurrentSkipListMap<>(KEY_ORDER);
    private final ConcurrentSkipListMap<String[], Versioned<ServiceState>> services = new ConcurrentSkipListMap<>(KEY_ORDER);

    private static final Comparator<String[]> KEY_ORDER = Comparator.<String[], String>comparing(k -> k[0]).thenComparing(k -> k[1]);

    public void apply(ProxyChange change) {
        apply(dataplanes, new String[] {change.getMesh(), change.getDataplane()}, change.getState(), change.getVersion());
    }

    public void apply(ServiceChange change) {
        apply(services, new String[] {change.getMesh(), change.getService()}, change.getState(), change.getVersion());
    }

    private static <T> void apply(ConcurrentSkipListMap<String[], Versioned<T>> view, String[] key, T state, long version) {
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
        return entries(dataplanes, mesh, scope);
    }

    /** Like {@link #dataplanes}, for services. */
    public List<Map.Entry<String[], Versioned<ServiceState>>> services(String mesh, ReadScope scope) {
        return entries(services, mesh, scope);
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

    private static <T> List<Map.Entry<String[], Versioned<T>>> entries(ConcurrentSkipListMap<String[], Versioned<T>> view, String mesh,
                                                                        ReadScope scope) {
        if (mesh != null) {
            return scope.allows(mesh) ? new ArrayList<>(meshRange(view, mesh).entrySet()) : new ArrayList<>();
        }
        if (scope.everyMesh()) {
            return new ArrayList<>(view.entrySet());
        }
        List<Map.Entry<String[], Versioned<T>>> entries = new ArrayList<>();
        for (String allowed : new TreeSet<>(scope.meshes())) {
            entries.addAll(meshRange(view, allowed).entrySet());
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
