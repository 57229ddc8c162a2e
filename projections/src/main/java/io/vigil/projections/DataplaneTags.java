package io.vigil.projections;

import io.vigil.avro.CurrentDataplaneSpec;
import io.vigil.avro.CurrentInboundSpec;
import io.vigil.schemas.DataplaneKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tags of every dataplane's inbounds (and gateway), from the records of
 * {@code vigil.dataplane-specs} (each dataplane's current spec, a tombstone once deleted), for the
 * lists' {@code tag=key:value} filter: the change topics carry health, not tags. A dataplane has
 * a tag when one of its inbounds (or its gateway) has it; a service has it when an inbound of that
 * service has it.
 *
 * <p>Thread-safe: the follower thread applies specs, request threads read.
 */
@ApplicationScoped
public class DataplaneTags {

    /** A {@code key:value} tag filter. */
    public record Tag(String key, String value) {

        /**
         * @throws IllegalArgumentException when {@code text} is not {@code key:value} with a non-empty key
         */
        public static Tag parse(String text) {
            int colon = text.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("tag must be key:value, e.g. kuma.io/zone:east, got '" + text + "'");
            }
            return new Tag(text.substring(0, colon), text.substring(colon + 1));
        }

        boolean in(Map<String, String> tags) {
            return value.equals(tags.get(key));
        }
    }

    /** One inbound's (or the gateway's) tags; {@code kuma.io/service} names its service. */
    private record Tagged(Map<String, String> tags) {
        String service() {
            return tags.get("kuma.io/service");
        }
    }

    /** mesh, then dataplane, then the tags of its inbounds and gateway. */
    private final Map<String, Map<String, List<Tagged>>> meshes = new ConcurrentHashMap<>();

    /** Follower thread: one record of the spec topic, in its dataplane's order; null is a tombstone. */
    public void apply(DataplaneKey dataplane, CurrentDataplaneSpec spec) {
        if (spec == null) {
            Map<String, List<Tagged>> dataplanes = meshes.get(dataplane.mesh());
            if (dataplanes != null) {
                dataplanes.remove(dataplane.name());
            }
            return;
        }
        List<Tagged> tagged = new ArrayList<>(spec.getInbounds().size() + 1);
        for (CurrentInboundSpec inbound : spec.getInbounds()) {
            tagged.add(new Tagged(Map.copyOf(inbound.getTags())));
        }
        if (spec.getGatewayTags() != null) {
            tagged.add(new Tagged(Map.copyOf(spec.getGatewayTags())));
        }
        meshes.computeIfAbsent(dataplane.mesh(), m -> new ConcurrentHashMap<>()).put(dataplane.name(), List.copyOf(tagged));
    }

    public boolean dataplaneHas(String mesh, String dataplane, Tag tag) {
        List<Tagged> tagged = meshes.getOrDefault(mesh, Map.of()).get(dataplane);
        return tagged != null && tagged.stream().anyMatch(t -> tag.in(t.tags()));
    }

    /** The services of {@code mesh} with an inbound that has {@code tag}. */
    public Set<String> servicesWith(String mesh, Tag tag) {
        Set<String> services = new HashSet<>();
        for (List<Tagged> dataplane : meshes.getOrDefault(mesh, Map.of()).values()) {
            for (Tagged t : dataplane) {
                if (t.service() != null && tag.in(t.tags())) {
                    services.add(t.service());
                }
            }
        }
        return services;
    }
}
