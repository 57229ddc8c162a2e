package io.vigil.projections;

import io.vigil.avro.DataplaneDeleted;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.DataplaneUpserted;
import io.vigil.avro.Inbound;
import io.vigil.avro.Networking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tags of every dataplane's inbounds (and gateway), from the {@code dataplane-upserted} events
 * of the event log, for the lists' {@code tag=key:value} filter: the change topics carry health,
 * not tags. A dataplane has a tag when one of its inbounds (or its gateway) has it; a service has
 * it when an inbound of that service has it.
 *
 * <p>Thread-safe: the follower thread applies events, request threads read.
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

    /** Follower thread: one event of the event log, in its dataplane's order. */
    public void apply(DataplaneEvent event) {
        if (event.getPayload() instanceof DataplaneUpserted upserted) {
            Networking networking = upserted.getSpec().getNetworking();
            List<Tagged> tagged = new ArrayList<>();
            for (Inbound inbound : networking.getInbound()) {
                tagged.add(new Tagged(Map.copyOf(inbound.getTags())));
            }
            if (networking.getGateway() != null) {
                tagged.add(new Tagged(Map.copyOf(networking.getGateway().getTags())));
            }
            meshes.computeIfAbsent(event.getMesh(), m -> new ConcurrentHashMap<>()).put(event.getDataplane(), List.copyOf(tagged));
        } else if (event.getPayload() instanceof DataplaneDeleted) {
            Map<String, List<Tagged>> dataplanes = meshes.get(event.getMesh());
            if (dataplanes != null) {
                dataplanes.remove(event.getDataplane());
            }
        }
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
