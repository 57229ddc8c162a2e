package io.vigil.projections;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which changes a live stream client asked for; every given filter must match. {@code level} is
 * a comma-separated list of {@code inbound}, {@code proxy}, {@code service}; {@code service}
 * matches a service's changes and the changes of its member dataplanes and inbounds (a dataplane
 * or inbound tombstone names no services and always passes it, so a client never misses a
 * deletion); {@code dataplane} matches a dataplane's proxy and inbound changes. Whatever the
 * filters, only changes of the meshes of the client's {@link ReadScope} pass. Immutable.
 */
public record ChangeFilter(String mesh, Set<HealthChange.Level> levels, String service, String dataplane, ReadScope scope) {

    /**
     * @param scope the meshes the client may read
     * @throws IllegalArgumentException naming the bad filter
     */
    public static ChangeFilter of(String mesh, String level, String service, String dataplane, ReadScope scope) {
        Set<HealthChange.Level> levels = EnumSet.allOf(HealthChange.Level.class);
        if (level != null && !level.isBlank()) {
            levels = EnumSet.noneOf(HealthChange.Level.class);
            for (String name : level.split(",")) {
                try {
                    levels.add(HealthChange.Level.valueOf(name.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("level must be inbound, proxy or service (comma-separated), got '" + name + "'");
                }
            }
        }
        return new ChangeFilter(blankToNull(mesh), levels, blankToNull(service), blankToNull(dataplane), scope);
    }

    public boolean test(HealthChange change) {
        return test(change.level(), change.mesh(), change.dataplane(), change.services(), change.tombstone());
    }

    /**
     * Whether an entity passes: a change, or an entity's current state ({@link InitialState}).
     *
     * @param dataplane null for a service
     * @param services  the services the entity belongs to (a service: itself)
     */
    public boolean test(HealthChange.Level level, String entityMesh, String entityDataplane, List<String> services, boolean tombstone) {
        return levels.contains(level)
                && scope.allows(entityMesh)
                && (mesh == null || mesh.equals(entityMesh))
                && (dataplane == null || dataplane.equals(entityDataplane))
                && (service == null || services.contains(service) || tombstone && level != HealthChange.Level.SERVICE);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
