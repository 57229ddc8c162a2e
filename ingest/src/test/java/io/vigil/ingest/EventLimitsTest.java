package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.avro.DataplaneEvent;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each per-tenant limit of one event, at its bound and one past it, with the path the problem names. */
class EventLimitsTest {

    private static final EventLimits SMALL = new EventLimits(16, 2, 2, 2, Duration.ofSeconds(1));
    private static final String HEAD = "\"mesh\": \"default\", \"dataplane\": \"dp-1\", \"time\": \"2026-11-26T10:00:00Z\"";

    private static DataplaneEvent event(String type, String fields) {
        return EventJson.parse("{\"type\": \"" + type + "\", " + HEAD + ", " + fields + "}");
    }

    private static DataplaneEvent upsert(String address, String inbounds) {
        return event("dataplane-upserted", "\"environment\": \"universal\", \"spec\": {\"networking\": {\"address\": \"" + address
                + "\", \"inbound\": [" + inbounds + "]}}");
    }

    private static String inbound(int port, String extraTags, String probe) {
        return "{\"port\": " + port + ", \"tags\": {\"kuma.io/service\": \"web\"" + extraTags + "}"
                + (probe.isEmpty() ? "" : ", \"serviceProbe\": {" + probe + "}") + "}";
    }

    private static List<String> problems(DataplaneEvent event) {
        return SMALL.check(event).stream().map(Problem::toString).toList();
    }

    @Test
    void anEventWithinEveryLimitHasNoProblem() {
        DataplaneEvent atTheBounds = upsert("127.0.0.1", inbound(8080, ", \"v\": \"0123456789\"", "\"interval\": \"1s\", \"timeout\": \"1s\", "
                + "\"http\": {\"path\": \"/a?b=c\"}") + ", " + inbound(8081, "", ""));
        assertThat(SMALL.check(atTheBounds)).isEmpty();
        assertThat(EventLimits.DEFAULTS.check(atTheBounds)).isEmpty();
    }

    @Test
    void inboundsAndTagsPastTheirLimitsAreNamed() {
        assertThat(problems(upsert("127.0.0.1", inbound(1, "", "") + ", " + inbound(2, "", "") + ", " + inbound(3, "", ""))))
                .containsExactly("spec.networking.inbound: at most 2 inbounds per dataplane, got 3");
        assertThat(problems(upsert("127.0.0.1", inbound(1, ", \"a\": \"1\", \"b\": \"2\"", ""))))
                .containsExactly("spec.networking.inbound[0].tags: at most 2 tags, got 3");
    }

    @Test
    void everyStringPastTheTextLimitIsNamedByItsPath() {
        assertThat(problems(upsert("127.0.0.1.longer.x", inbound(1, ", \"kuma.io/zone\": \"0123456789abcdefg\"", ""))))
                .containsExactly("spec.networking.address: at most 16 characters, got 18",
                        "spec.networking.inbound[0].tags[\"kuma.io/zone\"]: at most 16 characters, got 17");
        assertThat(problems(event("stream-connected", "\"instance\": \"cp-instance-00001\", \"stream\": \"s\"")))
                .containsExactly("instance: at most 16 characters, got 17");
        assertThat(problems(event("probe-result", "\"port\": 1, \"healthy\": false, \"detail\": \"connection refused\"")))
                .containsExactly("detail: at most 16 characters, got 18");
        assertThat(problems(event("pod-readiness", "\"terminating\": false, \"sidecarReady\": true, \"containers\": ["
                + "{\"name\": \"application-container\", \"ready\": true, \"ports\": []}, {\"name\": \"a\", \"ready\": true, \"ports\": []}, "
                + "{\"name\": \"b\", \"ready\": true, \"ports\": []}]")))
                .containsExactly("containers: at most 2 containers, got 3", "containers[0].name: at most 16 characters, got 21");
    }

    @Test
    void aProbeMayNotRunMoreOftenThanTheShortestIntervalNorTimeOutAfterItsInterval() {
        assertThat(problems(upsert("127.0.0.1", inbound(1, "", "\"interval\": \"999ms\", \"tcp\": {}"))))
                .containsExactly("spec.networking.inbound[0].serviceProbe.interval: at least 1s, got 999ms");
        assertThat(problems(upsert("127.0.0.1", inbound(1, "", "\"interval\": \"2s\", \"timeout\": \"2001ms\", \"tcp\": {}"))))
                .containsExactly("spec.networking.inbound[0].serviceProbe.timeout: at most the interval (2000ms), got 2001ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"//127.0.0.1/x", "/a b", "/a#top", "/%zz"})
    void anHttpProbePathMustBeAPlainAbsolutePath(String path) {
        DataplaneEvent event = upsert("127.0.0.1", inbound(1, "", "\"http\": {\"path\": \"" + path + "\"}"));
        assertThat(problems(event)).singleElement().asString().startsWith("spec.networking.inbound[0].serviceProbe.http.path: expected");
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThatThrownBy(() -> new EventLimits(0, 1, 1, 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventLimits(1, 1, 1, 1, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultsLetAKumaSizedDataplaneThrough() {
        List<String> inbounds = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            inbounds.add(inbound(8000 + i, ", \"version\": \"v1\", \"team\": \"payments\"", "\"interval\": \"10s\", \"timeout\": \"2s\", \"tcp\": {}"));
        }
        assertThat(EventLimits.DEFAULTS.check(upsert("127.0.0.1", String.join(", ", inbounds)))).isEmpty();
    }
}
