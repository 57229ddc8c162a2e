package io.vigil.ingest.prober;

import java.net.InetAddress;
import java.util.List;

/**
 * The networks the prober may connect to (SPEC section 8, {@code vigil.prober.allowed-networks}).
 * Immutable and thread-safe.
 */
public final class AllowedNetworks {

    private final List<Cidr> networks;

    private AllowedNetworks(List<Cidr> networks) {
        this.networks = networks;
    }

    /**
     * @param cidrs CIDR networks such as {@code 127.0.0.0/8} and {@code ::1/128}
     * @throws IllegalArgumentException naming the first entry that is not a CIDR network
     */
    public static AllowedNetworks of(List<String> cidrs) {
        return new AllowedNetworks(cidrs.stream().map(Cidr::parse).toList());
    }

    public boolean allows(InetAddress address) {
        for (Cidr network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
