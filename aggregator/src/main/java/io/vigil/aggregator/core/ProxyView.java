package io.vigil.aggregator.core;

import java.time.Instant;
import java.util.List;

/**
 * The status of one dataplane proxy as consumers see it (SPEC section 3).
 *
 * @param services       the services it is a member of, sorted
 * @param inbounds       by port
 * @param reasons        why it is not online; empty when online
 * @param since          the event time of the change at which {@code status} began; null when
 *                       unknown (restored from a checkpoint written before it was kept)
 * @param connectedSince the event time of the {@code stream-connected} that made it connected;
 *                       null when not connected (or unknown, as {@code since})
 */
public record ProxyView(HealthStatus status, boolean connected, Environment environment, String address,
                        boolean gateway, List<String> services, List<InboundView> inbounds, List<String> reasons,
                        Instant since, Instant connectedSince) {

    public ProxyView {
        services = List.copyOf(services);
        inbounds = List.copyOf(inbounds);
        reasons = List.copyOf(reasons);
    }
}
