package io.vigil.aggregator.core;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The parts of a Dataplane resource that health depends on.
 *
 * @param inbounds       sorted by port
 * @param gatewayService the {@code kuma.io/service} of {@code networking.gateway.tags}, or null when not a gateway
 */
public record DataplaneSpec(String address, List<InboundSpec> inbounds, String gatewayService) {

    public DataplaneSpec {
        Objects.requireNonNull(address, "address");
        inbounds = inbounds.stream().sorted(Comparator.comparingInt(InboundSpec::port)).toList();
        for (int i = 1; i < inbounds.size(); i++) {
            if (inbounds.get(i).port() == inbounds.get(i - 1).port()) {
                throw new IllegalArgumentException("two inbounds with port " + inbounds.get(i).port());
            }
        }
    }

    public boolean isGateway() {
        return gatewayService != null;
    }
}
