package io.vigil.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.avro.CurrentDataplaneSpec;
import io.vigil.avro.CurrentInboundSpec;
import io.vigil.avro.Environment;
import io.vigil.projections.DataplaneTags.Tag;
import io.vigil.schemas.DataplaneKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tags from the records of vigil.dataplane-specs: the last spec counts, a tombstone forgets. */
class DataplaneTagsTest {

    private static final DataplaneKey WEB = new DataplaneKey("default", "web-01");
    private static final DataplaneKey EDGE = new DataplaneKey("default", "edge-01");

    private final DataplaneTags tags = new DataplaneTags();

    @Test
    void aDataplaneHasTheTagsOfItsInboundsAndItsGateway() {
        tags.apply(WEB, spec(WEB, null, inbound(8080, "backend", "version", "v1"), inbound(8081, "admin", "team", "ops")));
        tags.apply(EDGE, spec(EDGE, Map.of("kuma.io/service", "edge", "zone", "east")));

        assertThat(tags.dataplaneHas("default", "web-01", Tag.parse("version:v1"))).isTrue();
        assertThat(tags.dataplaneHas("default", "web-01", Tag.parse("team:ops"))).isTrue();
        assertThat(tags.dataplaneHas("default", "web-01", Tag.parse("zone:east"))).isFalse();
        assertThat(tags.dataplaneHas("default", "edge-01", Tag.parse("zone:east"))).isTrue();
        assertThat(tags.servicesWith("default", Tag.parse("version:v1"))).containsExactly("backend");
        assertThat(tags.servicesWith("default", Tag.parse("zone:east"))).containsExactly("edge");
        assertThat(tags.servicesWith("other", Tag.parse("zone:east"))).isEmpty();
    }

    @Test
    void theLastSpecCountsAndATombstoneForgets() {
        tags.apply(WEB, spec(WEB, null, inbound(8080, "backend", "version", "v1")));
        tags.apply(WEB, spec(WEB, null, inbound(8080, "backend", "version", "v2")));
        assertThat(tags.dataplaneHas("default", "web-01", Tag.parse("version:v1"))).isFalse();
        assertThat(tags.dataplaneHas("default", "web-01", Tag.parse("version:v2"))).isTrue();

        tags.apply(WEB, null);
        assertThat(tags.dataplaneHas("default", "web-01", Tag.parse("version:v2"))).isFalse();
        assertThat(tags.servicesWith("default", Tag.parse("version:v2"))).isEmpty();
    }

    private static CurrentDataplaneSpec spec(DataplaneKey key, Map<String, String> gatewayTags, CurrentInboundSpec... inbounds) {
        return new CurrentDataplaneSpec(key.mesh(), key.name(), Environment.UNIVERSAL, "127.0.0.1", List.of(inbounds), gatewayTags,
                true, false);
    }

    private static CurrentInboundSpec inbound(int port, String service, String tag, String value) {
        return new CurrentInboundSpec(port, port, "127.0.0.1", service, Map.of("kuma.io/service", service, tag, value), null);
    }
}
