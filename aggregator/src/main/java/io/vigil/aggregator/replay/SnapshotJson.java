package io.vigil.aggregator.replay;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.aggregator.core.HealthSnapshot;
import io.vigil.aggregator.records.ChangeRecords;
import io.vigil.schemas.HealthJson;
import java.io.IOException;
import java.io.OutputStream;

/** The SPEC section 5 document of a whole {@link HealthSnapshot}. */
public final class SnapshotJson {

    private SnapshotJson() {
    }

    public static void write(HealthSnapshot snapshot, OutputStream out) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeArrayFieldStart("dataplanes");
            for (HealthSnapshot.DataplaneEntry dp : snapshot.dataplanes()) {
                HealthJson.writeDataplane(json, dp.key().mesh(), dp.key().name(), ChangeRecords.proxyState(dp.proxy()), dp.version());
            }
            json.writeEndArray();
            json.writeArrayFieldStart("services");
            for (HealthSnapshot.ServiceEntry svc : snapshot.services()) {
                HealthJson.writeService(json, svc.key().mesh(), svc.key().name(), ChangeRecords.serviceState(svc.service().summary()),
                        ChangeRecords.endpoints(svc.service().endpoints()), svc.version());
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.write('\n');
    }
}
