package io.vigil.schemas;

/**
 * The keys of vigil's Kafka records, written and read only here. A dataplane's key is
 * {@code mesh/dataplane}, a service's {@code mesh/service}, an inbound's
 * {@code mesh/dataplane/port}; a dead letter keeps the key of the record it holds. Mesh and
 * dataplane names never contain {@code /} (the JSON codec refuses them), a service name may, so a
 * key splits at its first {@code /} (and an inbound's also at its last).
 */
public enum KeyFormat {
    /** {@code mesh/dataplane}: the event log, proxy changes, dataplane specs and state. */
    DATAPLANE,
    /** {@code mesh/dataplane/port}: inbound changes. */
    INBOUND,
    /** {@code mesh/service}: membership updates, service changes and state. */
    SERVICE,
    /** The key of the record a dead letter holds, as it was. */
    SOURCE;

    /** {@code mesh/name}: a dataplane's or a service's key. */
    public static String of(String mesh, String name) {
        return mesh + '/' + name;
    }

    /** {@code mesh/dataplane/port}: an inbound's key. */
    public static String inbound(String mesh, String dataplane, int port) {
        return mesh + '/' + dataplane + '/' + port;
    }

    /** The mesh of a key. @throws IllegalArgumentException when the key has no {@code /} */
    public static String mesh(String key) {
        return key.substring(0, slash(key));
    }

    /** What follows the mesh: the dataplane or service name (for an inbound, {@code dataplane/port}). */
    public static String name(String key) {
        return key.substring(slash(key) + 1);
    }

    private static int slash(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a vigil key (mesh/name): '" + key + "'");
        }
        return slash;
    }
}
