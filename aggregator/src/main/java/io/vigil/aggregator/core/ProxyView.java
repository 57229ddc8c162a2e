package io.vigil.aggregator.core;

import java.util.List;

/**
 * The status of one dataplane proxy as consumers see it (SPEC section 3).
 *
 * @param services the services it is a member of, sorted
 * @param inbounds by port
 * @param reasons  why it is not online; empty when online
 */
public record ProxyView(HealthStatus status, boolean connected, Environment environment, String address,
                        boolean gateway, List<String> services, List<InboundView> inbounds, List<String> reasons) {

    public ProxyView {
        services = List.copyOf(services);
        inbounds = List.copyOf(inbounds);
        reasons = List.copyOf(reasons);
    }
}
