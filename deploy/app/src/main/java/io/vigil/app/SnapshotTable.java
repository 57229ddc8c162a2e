package io.vigil.app;

import io.vigil.aggregator.core.HealthSnapshot;
import io.vigil.aggregator.core.HealthStatus;
import io.vigil.aggregator.core.InboundView;
import io.vigil.aggregator.core.ServiceCounts;
import java.util.ArrayList;
import java.util.List;

/** A {@link HealthSnapshot} as kumactl-style tables: dataplanes, then services. */
final class SnapshotTable {

    private SnapshotTable() {
    }

    static String render(HealthSnapshot snapshot) {
        List<List<String>> dataplanes = new ArrayList<>();
        dataplanes.add(List.of("MESH", "DATAPLANE", "STATUS", "CONNECTED", "INBOUNDS"));
        for (HealthSnapshot.DataplaneEntry dp : snapshot.dataplanes()) {
            List<InboundView> inbounds = dp.proxy().inbounds();
            long ready = inbounds.stream().filter(InboundView::ready).count();
            dataplanes.add(List.of(dp.key().mesh(), dp.key().name(), label(dp.proxy().status()),
                    dp.proxy().connected() ? "yes" : "no", ready + "/" + inbounds.size()));
        }
        List<List<String>> services = new ArrayList<>();
        services.add(List.of("MESH", "SERVICE", "STATUS", "DATAPLANES", "ENDPOINTS"));
        for (HealthSnapshot.ServiceEntry svc : snapshot.services()) {
            ServiceCounts counts = svc.service().dataplanes();
            services.add(List.of(svc.key().mesh(), svc.key().name(), label(svc.service().status()),
                    counts.online() + "/" + counts.total(), Integer.toString(svc.service().endpoints().size())));
        }
        return TextTable.render(dataplanes) + "\n" + TextTable.render(services);
    }

    private static String label(HealthStatus status) {
        return StatusLabel.plain(status.wireName());
    }
}
