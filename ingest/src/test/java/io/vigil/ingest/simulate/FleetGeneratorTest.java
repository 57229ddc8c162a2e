package io.vigil.ingest.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.DataplaneUpserted;
import io.vigil.avro.Environment;
import io.vigil.avro.Inbound;
import io.vigil.avro.InboundHealth;
import io.vigil.avro.PodReadiness;
import io.vigil.avro.ProbeResult;
import io.vigil.schemas.EventJson;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FleetGeneratorTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final FleetShape MIXED = new FleetShape("default", 50, 3, 10, 0.2, 0.4);

    private static List<String> draw(FleetShape shape, long seed, int count) {
        FleetGenerator generator = new FleetGenerator(shape, seed, START, "run");
        return IntStream.range(0, count).mapToObj(i -> EventJson.renderText(generator.next())).toList();
    }

    private static List<DataplaneEvent> events(FleetShape shape, int count) {
        FleetGenerator generator = new FleetGenerator(shape, 7, START, "run");
        return IntStream.range(0, count).mapToObj(i -> generator.next()).toList();
    }

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
        assertThat(draw(MIXED, 1, 5000)).isEqualTo(draw(MIXED, 1, 5000));
        assertThat(draw(MIXED, 2, 5000)).isNotEqualTo(draw(MIXED, 1, 5000));
    }

    @Test
    void everyKindOfFactOccursAndEveryEventIsValid() {
        Map<String, Integer> kinds = new TreeMap<>();
        for (String json : draw(MIXED, 3, 50_000)) {
            DataplaneEvent parsed = EventJson.parse(json);
            assertThat(parsed.getMesh()).isEqualTo("default");
            kinds.merge(EventJson.render(parsed).get("type").asText(), 1, Integer::sum);
        }
        assertThat(kinds).containsOnlyKeys("dataplane-upserted", "dataplane-deleted", "stream-connected", "stream-disconnected",
                "probe-result", "pod-readiness", "dataplane-draining", "inbound-health");
        assertThat(kinds.get("probe-result") + kinds.get("pod-readiness") + kinds.get("inbound-health")).isGreaterThan(40_000);
    }

    @Test
    void everyAddressIsLoopback() throws Exception {
        for (DataplaneEvent event : events(new FleetShape("default", 70_000, 1, 5, 0, 0), 200_000)) {
            if (event.getPayload() instanceof DataplaneUpserted upsert) {
                String address = upsert.getSpec().getNetworking().getAddress().toString();
                assertThat(address).startsWith("127.");
                assertThat(InetAddress.getByName(address).isLoopbackAddress()).as(address).isTrue();
            }
        }
    }

    @Test
    void probedUniversalInboundsGetProbeResultsKubernetesOnesPodReadinessOthersInboundHealth() {
        Map<String, DataplaneUpserted> specs = new HashMap<>();
        int probeResults = 0;
        int pods = 0;
        for (DataplaneEvent event : events(MIXED, 30_000)) {
            String dp = event.getDataplane().toString();
            Object payload = event.getPayload();
            if (payload instanceof DataplaneUpserted upsert) {
                specs.put(dp, upsert);
            } else if (payload instanceof ProbeResult result) {
                probeResults++;
                assertThat(specs.get(dp).getEnvironment()).isEqualTo(Environment.UNIVERSAL);
                assertThat(inbound(specs.get(dp), result.getPort()).getServiceProbe()).isNotNull();
            } else if (payload instanceof InboundHealth health) {
                assertThat(specs.get(dp).getEnvironment()).isEqualTo(Environment.UNIVERSAL);
                assertThat(inbound(specs.get(dp), health.getPort()).getServiceProbe()).isNull();
            } else if (payload instanceof PodReadiness pod) {
                pods++;
                assertThat(specs.get(dp).getEnvironment()).isEqualTo(Environment.KUBERNETES);
                assertThat(pod.getContainers()).hasSize(3);
            }
        }
        assertThat(probeResults).isPositive();
        assertThat(pods).isPositive();
    }

    @Test
    void theFlapProbabilityDecidesHowOftenHealthFlips() {
        assertThat(unhealthyReports(0)).isZero();
        assertThat(unhealthyReports(0.5)).isGreaterThan(1000);
    }

    private static long unhealthyReports(double flap) {
        return events(new FleetShape("default", 20, 2, 4, flap, 0), 10_000).stream()
                .filter(e -> e.getPayload() instanceof ProbeResult result && !result.getHealthy()
                        || e.getPayload() instanceof InboundHealth health && !health.getReady())
                .count();
    }

    @Test
    void aDisconnectNamesTheStreamThatIsOpen() {
        Map<String, JsonNode> open = new HashMap<>();
        for (String line : draw(MIXED, 5, 30_000)) {
            JsonNode event = EventJson.render(EventJson.parse(line));
            String dp = event.get("dataplane").asText();
            switch (event.get("type").asText()) {
                case "stream-connected" -> assertThat(open.put(dp, event)).isNull();
                case "stream-disconnected" -> assertThat(open.remove(dp).get("stream")).isEqualTo(event.get("stream"));
                case "dataplane-deleted" -> assertThat(open).doesNotContainKey(dp);
                default -> { }
            }
        }
    }

    @Test
    void outOfRangeShapesAreRefusedByName() {
        assertThatThrownBy(() -> new FleetShape("default", 0, 1, 1, 0, 0)).hasMessageContaining("--dataplanes");
        assertThatThrownBy(() -> new FleetShape("default", 1, 0, 1, 0, 0)).hasMessageContaining("--inbounds-per-dataplane");
        assertThatThrownBy(() -> new FleetShape("default", 1, 1, 0, 0, 0)).hasMessageContaining("--services");
        assertThatThrownBy(() -> new FleetShape("default", 1, 1, 1, 1.5, 0)).hasMessageContaining("--flap-probability");
        assertThatThrownBy(() -> new FleetShape("default", 1, 1, 1, 0, Double.NaN)).hasMessageContaining("--kubernetes-share");
    }

    private static Inbound inbound(DataplaneUpserted upsert, int port) {
        return upsert.getSpec().getNetworking().getInbound().stream().filter(i -> i.getPort() == port).findFirst().orElseThrow();
    }
}
