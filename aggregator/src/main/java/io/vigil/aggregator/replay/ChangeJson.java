package io.vigil.aggregator.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.aggregator.core.HealthChange;
import io.vigil.aggregator.core.InboundChange;
import io.vigil.aggregator.core.ProxyChange;
import io.vigil.aggregator.core.ServiceChange;
import io.vigil.aggregator.records.ChangeRecords;
import io.vigil.schemas.HealthJson;
import java.io.IOException;

/** A rule change written as the JSON its Avro record has on the change topics. */
public final class ChangeJson {

    private ChangeJson() {
    }

    public static void write(JsonGenerator json, HealthChange change) throws IOException {
        if (change instanceof InboundChange inbound) {
            HealthJson.writeChange(json, ChangeRecords.inbound(inbound));
        } else if (change instanceof ProxyChange proxy) {
            HealthJson.writeChange(json, ChangeRecords.proxy(proxy));
        } else if (change instanceof ServiceChange service) {
            HealthJson.writeChange(json, ChangeRecords.service(service));
        }
    }
}
