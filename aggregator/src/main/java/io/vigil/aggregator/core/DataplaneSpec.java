package io.vigil.aggregator.core;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of a Dataplane resource that health depends on, and the tags that travel with it.
 *
 * @param inbounds       sorted by port
 * @param gatewayService the {@code kuma.io/service} of {@code networking.gateway.tags}, or null when not a gateway
 * @param gatewayTags    all of {@code networking.gateway.tags} (see {@link Tags}), null when not a
 *                       gateway; for a gateway, null means only the service is known
 */
public record DataplaneSpec(String address, List<InboundSpec> inbounds, String gatewayService, Map<String, String> gatewayTags) {

    public DataplaneSpec {
        Objects.requireNonNull(address, "address");
        inbounds = inbounds.stream().sorted(Comparator.comparingInt(InboundSpec::port)).toList();
        for (int i = 1; i < inbounds.size(); i++) {
            if (inbounds.get(i).port() == inbounds.get(i - 1).port()) {
                throw new IllegalArgumentException("two inbounds with port " + inbounds.get(i).port());
            }
        }
        if (gatewayService == null) {
            gatewayTags = null;
        } else {
            gatewayTags = gatewayTags == null ? Tags.serviceOnly(gatewayService) : Map.copyOf(gatewayTags);
        }
    }

    /** A spec whose gateway, if any, has only its {@code kuma.io/service} tag. */
    public DataplaneSpec(String address, List<InboundSpec> inbounds, String gatewayService) {
        this(address, inbounds, gatewayService, null);
    }

    /** An inbound's endpoint address: its own, else the dataplane's (SPEC section 4). */
    public String addressOf(InboundSpec inbound) {
        return inbound.address() != null ? inbound.address() : address;
    }

    public boolean isGateway() {
        return gatewayService != null;
    }
}
