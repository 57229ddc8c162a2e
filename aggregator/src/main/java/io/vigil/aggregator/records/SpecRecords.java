package io.vigil.aggregator.records;

import io.vigil.aggregator.core.DataplaneSpec;
import io.vigil.aggregator.core.InboundSpec;
import io.vigil.aggregator.core.ProbeSettings;
import io.vigil.aggregator.core.SpecView;
import io.vigil.avro.CurrentDataplaneSpec;
import io.vigil.avro.CurrentInboundSpec;
import io.vigil.avro.CurrentProbeSettings;
import java.util.ArrayList;
import java.util.List;

/** A dataplane's {@link SpecView} as the record of {@code vigil.dataplane-specs}. Stateless and thread-safe. */
public final class SpecRecords {

    private SpecRecords() {
    }

    public static CurrentDataplaneSpec spec(SpecView view) {
        DataplaneSpec spec = view.spec();
        List<CurrentInboundSpec> inbounds = new ArrayList<>(spec.inbounds().size());
        for (InboundSpec inbound : spec.inbounds()) {
            ProbeSettings probe = inbound.probe();
            inbounds.add(new CurrentInboundSpec(inbound.port(), inbound.workloadPort(), spec.addressOf(inbound), inbound.service(),
                    inbound.tags(), probe == null ? null : new CurrentProbeSettings(probe.intervalMillis(), probe.timeoutMillis(),
                            probe.healthyThreshold(), probe.unhealthyThreshold(), probe.httpPath())));
        }
        return new CurrentDataplaneSpec(view.key().mesh(), view.key().name(),
                EnumsByName.ENVIRONMENT_TO_AVRO.map(view.environment()), spec.address(), inbounds, spec.gatewayTags(),
                view.connected(), view.draining());
    }
}
