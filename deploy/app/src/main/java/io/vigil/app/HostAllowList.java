package io.vigil.app;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host names a request may name ({@code vigil.http.allowed-hosts}): compared without port,
 * case, IPv6 brackets or a trailing dot. Immutable.
 */
final class HostAllowList {

    private static final Pattern HOST_WITH_PORT = Pattern.compile("^[^:\\[\\]]+:\\d*$|^\\[.*]:\\d*$");

    private final Set<String> hosts;

    private HostAllowList(Set<String> hosts) {
        this.hosts = hosts;
    }

    /**
     * @throws IllegalArgumentException naming the entry that is empty or has a port
     */
    static HostAllowList of(List<String> entries) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String entry : entries) {
            String host = entry.strip();
            if (host.isEmpty()) {
                throw new IllegalArgumentException("vigil.http.allowed-hosts: an empty host name");
            }
            if (HOST_WITH_PORT.matcher(host).matches()) {
                throw new IllegalArgumentException("vigil.http.allowed-hosts: '" + host + "' has a port; list host names only "
                        + "(every port of an allowed host is allowed)");
            }
            hosts.add(normalize(host));
        }
        return new HostAllowList(Set.copyOf(hosts));
    }

    /** Whether a request that names {@code host} (without its port) is answered. */
    boolean allows(String host) {
        return host != null && hosts.contains(normalize(host));
    }

    private static String normalize(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
