package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.avro.DataplaneEvent;
import io.vigil.avro.DataplaneUpserted;
import io.vigil.avro.Environment;
import io.vigil.avro.Inbound;
import io.vigil.avro.PodReadiness;
import io.vigil.avro.StreamDisconnected;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    /** Reads decimals exactly, as EventJson does, so that 0.25 compares equal to what a round trip gives. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final DataplaneEventSerde serde = new DataplaneEventSerde();

    /** JSON with single quotes, for readable literals. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private DataplaneEvent throughKafka(DataplaneEvent event) {
        return serde.deserialize(Topics.DATAPLANE_EVENTS.name(), serde.serialize(Topics.DATAPLANE_EVENTS.name(), event));
    }

    private JsonNode roundTrip(String text) {
        return EventJson.render(throughKafka(EventJson.parse(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'type':'dataplane-deleted','mesh':'default','dataplane':'web-01','time':'2026-11-26T10:00:00Z','id':'d-1'}",
        "{'type':'dataplane-draining','mesh':'default','dataplane':'web-01','time':'2026-11-26T10:00:00.500Z'}",
        "{'type':'stream-connected','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00.123456Z','instance':'cp-1','stream':'s-9'}",
        "{'type':'stream-disconnected','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z','instance':'cp-1','stream':'s-9'}",
        "{'type':'probe-result','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z','port':1,'healthy':false,'detail':''}",
        "{'type':'probe-result','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z','port':65535,'healthy':true}",
        "{'type':'pod-readiness','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z','terminating':true,'sidecarReady':true,"
                + "'containers':[{'name':'app','ready':true,'ports':[8080,8081]},{'name':'init','ready':false,'ports':[]}]}",
        "{'type':'pod-readiness','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z','terminating':false,'sidecarReady':false,'containers':[]}",
        "{'type':'inbound-health','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z','port':8080,'ready':true}",
        "{'type':'dataplane-upserted','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z','environment':'universal',"
                + "'spec':{'networking':{'address':'127.0.0.1'}}}",
        "{'type':'dataplane-upserted','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z','environment':'universal',"
                + "'spec':{'networking':{'address':'127.0.0.1','inbound':[{'port':8080,'servicePort':18080,'address':'127.0.0.2',"
                + "'tags':{'kuma.io/service':'web','version':''},'health':{'ready':true},"
                + "'serviceProbe':{'interval':'1m30s','timeout':'500ms','healthyThreshold':3,'unhealthyThreshold':2,'http':{'path':'/ready'}}},"
                + "{'port':8081,'tags':{'kuma.io/service':'web-admin'},'health':{},'serviceProbe':{}}]}}}",
    })
    void everyKindRoundTripsThroughKafka(String singleQuoted) throws Exception {
        String text = json(singleQuoted);
        assertThat(roundTrip(text)).isEqualTo(JSON.readTree(text));
    }

    @Test
    void unmodelledMembersOfARealResourceSurviveAtEveryLevel() throws Exception {
        String text = json("{'type':'dataplane-upserted','mesh':'default','dataplane':'web-01','time':'2026-11-26T10:00:00Z',"
                + "'environment':'kubernetes','spec':{"
                + "'metrics':{'type':'prometheus','conf':{'port':5670,'path':'/metrics','ratio':0.25,'big':123456789012345678901234567890}},"
                + "'networking':{'address':'127.0.0.1','admin':{'port':9901},"
                + "'outbound':[{'port':10001,'tags':{'kuma.io/service':'redis'}}],"
                + "'transparentProxying':{'redirectPortInbound':15006,'ipFamilyMode':null},"
                + "'inbound':[{'port':11011,'tags':{'kuma.io/service':'backend'},'name':'http','state':'Ready',"
                + "'serviceAddress':'127.0.0.1'}]}}}");

        DataplaneEvent event = EventJson.parse(text);

        Inbound inbound = ((DataplaneUpserted) event.getPayload()).getSpec().getNetworking().getInbound().get(0);
        assertThat(JSON.readTree(inbound.getExtra()))
                .isEqualTo(JSON.readTree(json("{'name':'http','state':'Ready','serviceAddress':'127.0.0.1'}")));
        assertThat(roundTrip(text)).isEqualTo(JSON.readTree(text));
    }

    @Test
    void objectsWithoutUnmodelledMembersHaveNoExtra() {
        DataplaneEvent event = EventJson.parse(json("{'type':'dataplane-upserted','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z',"
                + "'environment':'universal','spec':{'networking':{'address':'127.0.0.1','gateway':{'tags':{'kuma.io/service':'edge'}}}}}"));

        DataplaneUpserted upserted = (DataplaneUpserted) event.getPayload();
        assertThat(upserted.getEnvironment()).isEqualTo(Environment.UNIVERSAL);
        assertThat(upserted.getSpec().getExtra()).isNull();
        assertThat(upserted.getSpec().getNetworking().getExtra()).isNull();
        assertThat(upserted.getSpec().getNetworking().getGateway().getExtra()).isNull();
    }

    @Test
    void anEmptyHealthSectionStaysDistinctFromNone() {
        DataplaneEvent event = EventJson.parse(json("{'type':'dataplane-upserted','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z',"
                + "'environment':'universal','spec':{'networking':{'address':'127.0.0.1','inbound':["
                + "{'port':1,'tags':{'kuma.io/service':'a'},'health':{}},"
                + "{'port':2,'tags':{'kuma.io/service':'a'}},"
                + "{'port':3,'tags':{'kuma.io/service':'a'},'health':{'ready':false}}]}}}"));

        List<Inbound> inbounds = ((DataplaneUpserted) throughKafka(event).getPayload()).getSpec().getNetworking().getInbound();
        assertThat(inbounds.get(0).getHealth()).isNotNull();
        assertThat(inbounds.get(0).getHealth().getReady()).isNull();
        assertThat(inbounds.get(1).getHealth()).isNull();
        assertThat(inbounds.get(2).getHealth().getReady()).isFalse();
    }

    @Test
    void rendersTheCanonicalFormOfTimesDurationsNullsAndEmptyInboundLists() throws Exception {
        String given = json("{'type':'dataplane-upserted','mesh':'m','dataplane':'d','time':'2026-11-26T12:00:00.250+02:00','id':null,"
                + "'environment':'universal','spec':{'networking':{'address':'127.0.0.1','gateway':{'tags':{'kuma.io/service':'edge'}},'inbound':[]}}}");
        String canonical = json("{'type':'dataplane-upserted','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00.250Z',"
                + "'environment':'universal','spec':{'networking':{'address':'127.0.0.1','gateway':{'tags':{'kuma.io/service':'edge'}}}}}");

        assertThat(roundTrip(given)).isEqualTo(JSON.readTree(canonical));
    }

    @Test
    void durationsAreKeptInMillisecondsAndRenderedAsGoDoes() throws Exception {
        String given = json("{'type':'dataplane-upserted','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z','environment':'universal',"
                + "'spec':{'networking':{'address':'127.0.0.1','inbound':[{'port':1,'tags':{'kuma.io/service':'a'},"
                + "'serviceProbe':{'interval':'60s','timeout':'1500ms','tcp':{}}}]}}}");

        Inbound inbound = ((DataplaneUpserted) EventJson.parse(given).getPayload()).getSpec().getNetworking().getInbound().get(0);
        assertThat(inbound.getServiceProbe().getIntervalMillis()).isEqualTo(60_000L);
        assertThat(inbound.getServiceProbe().getTimeoutMillis()).isEqualTo(1_500L);
        JsonNode probe = roundTrip(given).at("/spec/networking/inbound/0/serviceProbe");
        assertThat(probe).isEqualTo(JSON.readTree(json("{'interval':'1m0s','timeout':'1.5s','tcp':{}}")));
    }

    @Test
    void parsesTheTimeWithItsOffsetAndOptionalMembersAsNull() {
        DataplaneEvent event = EventJson.parse(json("{'type':'stream-disconnected','mesh':'m','dataplane':'d',"
                + "'time':'2026-11-26T10:00:00.000001-05:30','instance':'cp-2','stream':null}"));

        assertThat(event.getTime()).isEqualTo(Instant.parse("2026-11-26T15:30:00.000001Z"));
        assertThat(event.getId()).isNull();
        assertThat(((StreamDisconnected) event.getPayload()).getStream()).isNull();
    }

    @Test
    void renderTextIsOneCompactLineThatParsesBack() {
        DataplaneEvent event = EventJson.parse(json("{'type':'pod-readiness','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z',"
                + "'terminating':false,'sidecarReady':true,'containers':[{'name':'app','ready':true,'ports':[8080]}]}"));

        String text = EventJson.renderText(event);

        assertThat(text).doesNotContain("\n", "  ");
        assertThat(EventJson.parse(text)).isEqualTo(event);
        assertThat(((PodReadiness) event.getPayload()).getContainers().get(0).getPorts()).containsExactly(8080);
    }

    @Test
    void refusesToRenderAnExtraThatIsNotAJsonObject() {
        DataplaneEvent event = EventJson.parse(json("{'type':'dataplane-upserted','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00Z',"
                + "'environment':'universal','spec':{'networking':{'address':'127.0.0.1'}}}"));
        ((DataplaneUpserted) event.getPayload()).getSpec().getNetworking().setExtra("[1]");

        assertThatThrownBy(() -> EventJson.render(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spec.networking")
                .hasMessageContaining("not a JSON object");
    }
}
