package io.vigil.aggregator.core;

import java.util.Map;
import java.util.Objects;

/**
 * One {@code networking.inbound[]} entry of a Dataplane, identified by its {@code port}.
 *
 * @param servicePort the workload's port when it differs from {@code port}, else null
 * @param address     overrides the dataplane's address for this inbound, or null
 * @param health      {@code health.ready} (false for {@code health: {}}), or null without a health section
 * @param probe       the {@code serviceProbe} after defaults, or null when not probed
 * @param tags        all of its tags, {@code kuma.io/service} included (see {@link Tags}); no rule
 *                    reads them, they are carried to {@code vigil.dataplane-specs}. Null means only
 *                    the service is known: {@code {kuma.io/service: service}}
 */
public record InboundSpec(int port, Integer servicePort, String address, String service, Boolean health,
                          ProbeSettings probe, Map<String, String> tags) {

    public InboundSpec {
        Objects.requireNonNull(service, "service");
        tags = tags == null ? Tags.serviceOnly(service) : Map.copyOf(tags);
    }

    /** An inbound whose only tag is {@code kuma.io/service}. */
    public InboundSpec(int port, Integer servicePort, String address, String service, Boolean health, ProbeSettings probe) {
        this(port, servicePort, address, service, health, probe, null);
    }

    /** The port the prober and the pod's containers know the workload by (SPEC section 1). */
    public int workloadPort() {
        return servicePort != null ? servicePort : port;
    }
}
