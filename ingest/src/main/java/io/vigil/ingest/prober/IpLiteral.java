package io.vigil.ingest.prober;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses IP address literals without ever asking DNS: {@link InetAddress#getByName} resolves any
 * text that is not a literal, which must not happen for a CIDR in the config or for a target whose
 * address the allowed-networks check has not seen yet.
 */
final class IpLiteral {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private IpLiteral() {
    }

    /** The address {@code text} spells, or null when it is not an IPv4 or IPv6 literal (e.g. a host name). */
    static InetAddress parse(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean ipv4 = IPV4.matcher(bare).matches();
        if (ipv4 && !octetsInRange(bare) || !ipv4 && !IPV6.matcher(bare).matches()) {
            return null;
        }
        try {
            // A literal: getByName only parses it (no lookup happens for these shapes).
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** {@code 999.1.1.1} has the shape of a literal, but Java would look it up as a name. */
    private static boolean octetsInRange(String ipv4) {
        for (String octet : ipv4.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }
}
