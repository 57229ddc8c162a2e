package io.vigil.aggregator.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.aggregator.core.Cause;
import io.vigil.aggregator.core.HealthStatus;
import io.vigil.aggregator.core.InboundChange;
import io.vigil.aggregator.core.ProxyChange;
import io.vigil.aggregator.core.ServiceChange;
import io.vigil.aggregator.core.Source;
import io.vigil.schemas.DataplaneKey;
import io.vigil.schemas.ServiceKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

/** The attributes of one change, header by header and in order (the records the stages write are compared byte for byte). */
class CloudEventAttributesTest {

    private static final Cause CAUSE = new Cause("probe-result", null, new Source("vigil.dataplane-events", 3, 42),
            Instant.parse("2026-11-26T10:00:00.120Z"));

    @Test
    void anInboundChangeFromTheLog() {
        InboundChange change = new InboundChange(new DataplaneKey("my mesh+1", "web-01"), 8080, null, true, 7, CAUSE);

        assertThat(headers(CloudEventHeaders.of(change))).containsExactly(
                "ce_specversion=1.0",
                "ce_id=my mesh+1/web-01/8080@7:vigil.dataplane-events-3-42",
                "ce_source=/vigil/meshes/my%20mesh%2B1",
                "ce_type=io.vigil.inbound.changed",
                "ce_time=2026-11-26T10:00:00.120Z",
                "ce_subject=web-01/8080",
                "content-type=application/avro");
    }

    @Test
    void proxyAndServiceChangesOfAReplayWithoutPositionOrTime() {
        Cause replayed = new Cause("stream-connected", "id-1", null, null);
        ProxyChange proxy = new ProxyChange(new DataplaneKey("mesh-é", "dp"), null, HealthStatus.ONLINE, 2, replayed);
        ServiceChange service = new ServiceChange(new ServiceKey("mesh-é", "backend"), null, null, 1, replayed);

        assertThat(headers(CloudEventHeaders.of(proxy))).containsExactly(
                "ce_specversion=1.0", "ce_id=mesh-é/dp@2:-", "ce_source=/vigil/meshes/mesh-%C3%A9",
                "ce_type=io.vigil.proxy.changed", "ce_subject=dp", "content-type=application/avro");
        assertThat(headers(CloudEventHeaders.of(service))).containsExactly(
                "ce_specversion=1.0", "ce_id=mesh-é/backend@1:-", "ce_source=/vigil/meshes/mesh-%C3%A9",
                "ce_type=io.vigil.service.changed", "ce_subject=backend", "content-type=application/avro");
    }

    private static List<String> headers(Headers headers) {
        List<String> all = new ArrayList<>();
        for (Header header : headers) {
            all.add(header.key() + "=" + new String(header.value(), StandardCharsets.UTF_8));
        }
        return all;
    }
}
