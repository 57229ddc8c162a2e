package io.vigil.aggregator.core;

import java.util.Map;

/**
 * Tag maps as the rules keep them: immutable, with interned keys and values. A fleet repeats a
 * few tag keys and values (services, versions, zones) over many inbounds, so interning makes the
 * inbounds share those strings instead of holding one copy per decoded event; a lone
 * {@code kuma.io/service} tag is a one-entry map around the service name the spec holds anyway.
 * Tags do not take part in any health rule: only {@code kuma.io/service} does, as the inbound's
 * service. Stateless and thread-safe.
 */
public final class Tags {

    /** The tag that names an inbound's (or a gateway's) service. */
    public static final String SERVICE = "kuma.io/service";

    private Tags() {
    }

    /** An immutable copy of {@code tags} with interned keys and values. */
    public static Map<String, String> of(Map<String, String> tags) {
        if (tags.size() == 1) {
            Map.Entry<String, String> only = tags.entrySet().iterator().next();
            return Map.of(only.getKey().intern(), only.getValue().intern());
        }
        @SuppressWarnings("unchecked")
        Map.Entry<String, String>[] entries = new Map.Entry[tags.size()];
        int i = 0;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            entries[i++] = Map.entry(tag.getKey().intern(), tag.getValue().intern());
        }
        return Map.ofEntries(entries);
    }

    /** Just {@code kuma.io/service}: what is known of an inbound's tags from its service alone. */
    public static Map<String, String> serviceOnly(String service) {
        return Map.of(SERVICE, service);
    }
}
