package io.vigil.schemas;

/**
 * The keys of vigil's Kafka records, written and read only here. A dataplane's key is
 * {@code mesh/dataplane}, a service's {@code mesh/service}, an inbound's
 * {@code mesh/dataplane/port}, a service member's endpoints {@code mesh/service/dataplane}; a dead
 * letter keeps the key of the record it holds. Mesh and dataplane names never contain {@code /}
 * or control characters (the JSON codec refuses them), a service name may, so a key splits at its
 * first {@code /} (and an inbound's or a member's also at its last).
 */
public enum KeyFormat {
    /** {@code mesh/dataplane}: the event log, proxy changes, dataplane specs and state. */
    DATAPLANE,
    /** {@code mesh/dataplane/port}: inbound changes. */
    INBOUND,
    /** {@code mesh/service}: membership updates, service changes and state. */
    SERVICE,
    /** {@code mesh/service/dataplane}: a member's endpoints in a service. */
    SERVICE_ENDPOINTS,
    /** The key of the record a dead letter holds, as it was. */
    SOURCE;

    /** Marks a {@link #serviceMember member's} changelog key: U+001F, the unit separator. */
    private static final char MEMBER_MARK = '\u001f';

    /** {@code mesh/name}: a dataplane's or a service's key. */
    public static String of(String mesh, String name) {
        return mesh + '/' + name;
    }

    /** {@code mesh/dataplane/port}: an inbound's key. */
    public static String inbound(String mesh, String dataplane, int port) {
        return mesh + '/' + dataplane + '/' + port;
    }

    /** {@code mesh/service/dataplane}: one member's endpoints in a service. */
    public static String serviceEndpoints(String mesh, String service, String dataplane) {
        return mesh + '/' + service + '/' + dataplane;
    }

    /** The {@code {mesh, service, dataplane}} of a {@link #serviceEndpoints} key. @throws IllegalArgumentException when it has not three parts */
    public static String[] splitServiceEndpoints(String key) {
        int first = slash(key);
        int last = key.lastIndexOf('/');
        if (last <= first) {
            throw new IllegalArgumentException("not a service member's key (mesh/service/dataplane): '" + key + "'");
        }
        return new String[] {key.substring(0, first), key.substring(first + 1, last), key.substring(last + 1)};
    }

    /**
     * The changelog key of one member of a service: {@code mesh<US>dataplane/service}, with the
     * unit separator (U+001F) that neither a mesh nor a dataplane name may hold, so that it never
     * equals a service's key {@code mesh/service}, whatever the service is named.
     */
    public static String serviceMember(String mesh, String service, String dataplane) {
        return mesh + MEMBER_MARK + dataplane + '/' + service;
    }

    /** Whether a changelog key of stage 2 is a {@link #serviceMember member's}. */
    public static boolean isServiceMember(String key) {
        return key.lastIndexOf(MEMBER_MARK, slash(key)) >= 0;
    }

    /** The {@code {mesh, service, dataplane}} of a {@link #serviceMember member's} key. */
    public static String[] splitServiceMember(String key) {
        int slash = slash(key);
        int mark = key.lastIndexOf(MEMBER_MARK, slash);
        if (mark < 0) {
            throw new IllegalArgumentException("not a service member's key: '" + key + "'");
        }
        return new String[] {key.substring(0, mark), key.substring(slash + 1), key.substring(mark + 1, slash)};
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
