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
import java.util.concurrent.ConcurrentSkipListMap;

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

    /** Every dataplane, sorted by mesh then name; only those of {@code mesh} when it is not null. */
    public List<Map.Entry<String[], Versioned<ProxyState>>> dataplanes(String mesh) {
        return entries(dataplanes, mesh);
    }

    public List<Map.Entry<String[], Versioned<ServiceState>>> services(String mesh) {
        return entries(services, mesh);
    }

    private static <T> List<Map.Entry<String[], Versioned<T>>> entries(ConcurrentSkipListMap<String[], Versioned<T>> view, String mesh) {
        Map<String[], Versioned<T>> range = mesh == null ? view
                : view.subMap(new String[] {mesh, ""}, true, new String[] {mesh, "\uffff"}, true);
        return new ArrayList<>(range.entrySet());
    }
}
