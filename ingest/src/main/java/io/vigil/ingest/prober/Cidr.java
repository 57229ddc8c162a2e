package io.vigil.ingest.prober;

import java.net.InetAddress;

/**
 * One network in CIDR notation ({@code 127.0.0.0/8}, {@code ::1/128}; a bare address means the
 * one host). IPv4 networks hold IPv4 addresses only (and the IPv4-mapped IPv6 form, which Java
 * parses as IPv4); IPv6 networks hold IPv6 addresses only. Immutable.
 */
record Cidr(byte[] network, int prefixLength) {

    /**
     * @throws IllegalArgumentException naming the bad text when it is not an address literal with
     *     an optional prefix length in range
     */
    static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = IpLiteral.parse(addressPart);
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR network: '" + addressPart + "' is not an IP address");
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR network: the prefix length must be 0 to " + bits);
            }
        }
        return new Cidr(address.getAddress(), prefix);
    }

    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int restBits = prefixLength % 8;
        if (restBits == 0) {
            return true;
        }
        int mask = (0xff << (8 - restBits)) & 0xff;
        return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
    }
}
