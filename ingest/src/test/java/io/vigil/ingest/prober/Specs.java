package io.vigil.ingest.prober;

import io.vigil.avro.CurrentDataplaneSpec;
import io.vigil.avro.CurrentInboundSpec;
import io.vigil.avro.CurrentProbeSettings;
import io.vigil.avro.Environment;
import io.vigil.schemas.DataplaneKey;
import java.util.List;
import java.util.Map;

/** Records of vigil.dataplane-specs, as aggregator stage 1 publishes them, for the prober's tests. */
final class Specs {

    static final ProbeSettings EVERY_SECOND = new ProbeSettings(1_000, 2_000, 1, 1, null);

    private Specs() {
    }

    static CurrentDataplaneSpec universal(DataplaneKey key, boolean connected, CurrentInboundSpec... inbounds) {
        return spec(key, Environment.UNIVERSAL, connected, false, inbounds);
    }

    static CurrentDataplaneSpec spec(DataplaneKey key, Environment environment, boolean connected, boolean draining,
                                     CurrentInboundSpec... inbounds) {
        return new CurrentDataplaneSpec(key.mesh(), key.name(), environment, "127.0.0.1", List.of(inbounds), null, connected, draining);
    }

    /** A probed inbound at its effective address and workload port. */
    static CurrentInboundSpec probed(int port, String address, int workloadPort, ProbeSettings settings) {
        return new CurrentInboundSpec(port, workloadPort, address, "web", Map.of("kuma.io/service", "web"),
                new CurrentProbeSettings(settings.intervalMillis(), settings.timeoutMillis(), settings.healthyThreshold(),
                        settings.unhealthyThreshold(), settings.httpPath()));
    }

    static CurrentInboundSpec probed(int port, ProbeSettings settings) {
        return probed(port, "127.0.0.1", port, settings);
    }

    static CurrentInboundSpec unprobed(int port) {
        return new CurrentInboundSpec(port, port, "127.0.0.1", "metrics", Map.of("kuma.io/service", "metrics"), null);
    }
}
