package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vigil.aggregator.runtime.ChangeTopicReader;
import io.vigil.avro.DataplaneEvent;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import io.vigil.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ingest issue's bad-input suite: malformed and hostile requests to {@code POST /api/v1/events},
 * each answered with the right status and a message that names the problem; then the event log is
 * read from the beginning to prove that none of them wrote anything (only the suite's canary, a
 * good request sent last, is there). Every case writes to meshes under one random prefix.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {

    private static final String PREFIX = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String MESH = PREFIX + "-mesh";
    private static final String ALL = "Bearer all-meshes-token";
    private static final String JSON = "application/json";
    private static final String TIME = "\"time\": \"2026-11-26T10:00:00Z\"";
    private static final String HEAD = "\"mesh\": \"" + MESH + "\", \"dataplane\": \"dp-1\", " + TIME;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/api/v1/events")
    URI events;

    /** One hostile request and what the answer must hold: its status and text naming the problem. */
    record Case(String name, String contentType, String authorization, byte[] body, int status, List<String> mentions) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static Case bad(String name, String body, String... mentions) {
        return new Case(name, JSON, ALL, body.getBytes(StandardCharsets.UTF_8), 400, List.of(mentions));
    }

    private static Case status(String name, int status, String contentType, String authorization, byte[] body, String... mentions) {
        return new Case(name, contentType, authorization, body, status, List.of(mentions));
    }

    /** An event of {@code type} in the suite's mesh with {@code fields} added. */
    private static String event(String type, String fields) {
        return "{\"type\": \"" + type + "\", " + HEAD + (fields.isEmpty() ? "" : ", " + fields) + "}";
    }

    private static String probe(String port, String healthy) {
        return "[" + event("probe-result", "\"port\": " + port + ", \"healthy\": " + healthy) + "]";
    }

    private static String upsert(String inbound) {
        return "[" + event("dataplane-upserted", "\"environment\": \"universal\", \"spec\": {\"networking\": "
                + "{\"address\": \"127.0.0.1\", \"inbound\": [" + inbound + "]}}") + "]";
    }

    private static String probed(String probe) {
        return upsert("{\"port\": 8080, \"tags\": {\"kuma.io/service\": \"web\"}, \"serviceProbe\": {" + probe + "}}");
    }

    /** {@code count} inbounds on ports 8000, 8001, ... */
    private static String inbounds(int count) {
        List<String> inbounds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inbounds.add("{\"port\": " + (8000 + i) + ", \"tags\": {\"kuma.io/service\": \"web\"}}");
        }
        return String.join(", ", inbounds);
    }

    /** {@code count} more tags, each after a comma. */
    private static String tags(int count) {
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < count; i++) {
            tags.append(", \"tag-").append(i).append("\": \"v\"");
        }
        return tags.toString();
    }

    private static String withName(String dataplaneJson) {
        return "[{\"type\": \"stream-connected\", \"mesh\": \"" + MESH + "\", \"dataplane\": " + dataplaneJson + ", " + TIME
                + ", \"instance\": \"cp-1\"}]";
    }

    private static final String CONNECT = "[" + event("stream-connected", "\"instance\": \"cp-1\"") + "]";

    static Stream<Case> cases() {
        byte[] connect = CONNECT.getBytes(StandardCharsets.UTF_8);
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMegabytes, (byte) ' ');
        tenMegabytes[0] = '[';
        tenMegabytes[tenMegabytes.length - 1] = ']';
        return Stream.of(
                // broken JSON
                bad("truncated object", "[{\"type\": ", "malformed JSON"),
                bad("unclosed array", "[", "malformed JSON"),
                bad("trailing garbage", CONNECT + " ]", "malformed JSON"),
                bad("comment", "[/* hi */" + event("stream-connected", "\"instance\": \"cp-1\"") + "]", "malformed JSON"),
                bad("NaN port", probe("NaN", "true"), "malformed JSON"),
                bad("duplicate member", "[{\"type\": \"stream-connected\", \"type\": \"dataplane-deleted\", " + HEAD + "}]", "type"),
                bad("single quotes", "[{'type': 'stream-connected'}]", "malformed JSON"),
                // not events
                bad("a number", "42", "\"line\":1", "object"),
                bad("array of scalars", "[1, \"two\"]", "[0]", "[1]"),
                bad("null", "null", "\"line\":1", "object"),
                bad("empty body", "", "no events"),
                bad("empty array", "[]", "no events"),
                bad("only blank lines", "\n \n\t\n", "no events"),
                // missing fields and wrong types
                bad("missing type", "[{" + HEAD + "}]", "[0].type", "missing"),
                bad("unknown type", "[" + event("probe-results", "\"port\": 1, \"healthy\": true") + "]", "[0].type", "probe-result"),
                bad("numeric type", "[{\"type\": 7, " + HEAD + "}]", "[0].type"),
                bad("missing mesh", "[{\"type\": \"dataplane-deleted\", \"dataplane\": \"dp-1\", " + TIME + "}]", "[0].mesh", "missing"),
                bad("missing dataplane", "[{\"type\": \"dataplane-deleted\", \"mesh\": \"" + MESH + "\", " + TIME + "}]", "[0].dataplane"),
                bad("missing time", "[{\"type\": \"dataplane-deleted\", \"mesh\": \"" + MESH + "\", \"dataplane\": \"dp-1\"}]", "[0].time"),
                bad("missing instance", "[" + event("stream-connected", "") + "]", "[0].instance"),
                bad("empty instance", "[" + event("stream-connected", "\"instance\": \"\"") + "]", "[0].instance", "non-empty"),
                bad("mesh is a number", "[{\"type\": \"dataplane-deleted\", \"mesh\": 5, \"dataplane\": \"dp-1\", " + TIME + "}]", "[0].mesh"),
                bad("unknown member", "[" + event("dataplane-deleted", "\"colour\": \"red\"") + "]", "[0].colour", "unknown field"),
                bad("healthy is a string", probe("8080", "\"yes\""), "[0].healthy", "true or false"),
                bad("ready is null", "[" + event("inbound-health", "\"port\": 8080, \"ready\": null") + "]", "[0].ready"),
                bad("containers not an array", "[" + event("pod-readiness", "\"terminating\": false, \"sidecarReady\": true, \"containers\": {}")
                        + "]", "[0].containers"),
                // ports
                bad("negative port", probe("-1", "true"), "[0].port"),
                bad("port over 65535", probe("70000", "true"), "[0].port"),
                bad("huge port", probe("99999999999999999999999", "true"), "[0].port"),
                bad("fractional port", probe("80.5", "true"), "[0].port"),
                bad("port as text", probe("\"80\"", "true"), "[0].port"),
                bad("container port out of range", "[" + event("pod-readiness", "\"terminating\": false, \"sidecarReady\": true, "
                        + "\"containers\": [{\"name\": \"app\", \"ready\": true, \"ports\": [0]}]") + "]", "[0].containers[0].ports[0]"),
                // times
                bad("time in words", "[{\"type\": \"dataplane-deleted\", \"mesh\": \"" + MESH + "\", \"dataplane\": \"dp-1\", \"time\": \"yesterday\"}]",
                        "[0].time", "ISO-8601"),
                bad("time as epoch number", "[{\"type\": \"dataplane-deleted\", \"mesh\": \"" + MESH + "\", \"dataplane\": \"dp-1\", \"time\": 1764150000}]",
                        "[0].time"),
                bad("time in nanoseconds", "[{\"type\": \"dataplane-deleted\", \"mesh\": \"" + MESH + "\", \"dataplane\": \"dp-1\", "
                        + "\"time\": \"2026-11-26T10:00:00.123456789Z\"}]", "[0].time", "microsecond"),
                bad("time in year 10000", "[{\"type\": \"dataplane-deleted\", \"mesh\": \"" + MESH + "\", \"dataplane\": \"dp-1\", "
                        + "\"time\": \"+10000-01-01T00:00:00Z\"}]", "[0].time"),
                // the Dataplane spec
                bad("unknown environment", "[" + event("dataplane-upserted", "\"environment\": \"mars\", \"spec\": {\"networking\": "
                        + "{\"address\": \"127.0.0.1\"}}") + "]", "[0].environment", "universal"),
                bad("missing spec", "[" + event("dataplane-upserted", "\"environment\": \"universal\"") + "]", "[0].spec"),
                bad("inbound without service tag", upsert("{\"port\": 8080, \"tags\": {}}"), "[0].spec.networking.inbound[0].tags", "kuma.io/service"),
                bad("inbound port twice", upsert("{\"port\": 8080, \"tags\": {\"kuma.io/service\": \"a\"}}, "
                        + "{\"port\": 8080, \"tags\": {\"kuma.io/service\": \"b\"}}"), "[0].spec.networking.inbound[1].port", "duplicate port"),
                bad("invalid interval", probed("\"interval\": \"soon\", \"tcp\": {}"), "[0].spec.networking.inbound[0].serviceProbe.interval"),
                bad("negative interval", probed("\"interval\": \"-1s\", \"tcp\": {}"), "[0].spec.networking.inbound[0].serviceProbe.interval"),
                bad("nanosecond timeout", probed("\"timeout\": \"1ns\", \"tcp\": {}"), "[0].spec.networking.inbound[0].serviceProbe.timeout"),
                bad("numeric timeout", probed("\"timeout\": 5, \"tcp\": {}"), "[0].spec.networking.inbound[0].serviceProbe.timeout"),
                bad("zero threshold", probed("\"unhealthyThreshold\": 0, \"tcp\": {}"), "[0].spec.networking.inbound[0].serviceProbe.unhealthyThreshold"),
                bad("tcp and http", probed("\"tcp\": {}, \"http\": {\"path\": \"/\"}"), "[0].spec.networking.inbound[0].serviceProbe", "both"),
                // names and unicode oddities
                bad("empty dataplane name", withName("\"\""), "[0].dataplane", "non-empty"),
                bad("slash in a name", withName("\"a/b\""), "[0].dataplane", "\\\"/\\\""),
                bad("NUL in a name", withName("\"dp\\u0000\""), "[0].dataplane", "control characters"),
                bad("lone surrogate in a name", withName("\"dp\\ud800\""), "[0].dataplane", "surrogate"),
                bad("reversed surrogate pair", withName("\"dp\\udc00\\ud800\""), "[0].dataplane", "surrogate"),
                bad("name over 253 characters", withName("\"" + "x".repeat(300) + "\""), "[0].dataplane", "at most 253"),
                bad("id over 256 characters", "[" + event("dataplane-deleted", "\"id\": \"" + "i".repeat(300) + "\"") + "]", "[0].id", "256"),
                status("invalid UTF-8", 400, JSON, ALL, new byte[] {'[', (byte) 0xC3, ']'}, "UTF-8"),
                status("overlong UTF-8 slash", 400, JSON, ALL, withBytes("[{\"type\": \"dataplane-deleted\", \"mesh\": \"" + MESH
                        + "\", \"dataplane\": \"a", new byte[] {(byte) 0xC0, (byte) 0xAF}, "b\", " + TIME + "}]"), "UTF-8"),
                status("UTF-16 body", 400, JSON, ALL, CONNECT.getBytes(StandardCharsets.UTF_16), "UTF-8"),
                // all or nothing
                bad("one bad event after a good one", "[" + event("stream-connected", "\"instance\": \"cp-1\"") + ", "
                        + event("probe-result", "\"port\": 70000, \"healthy\": true") + "]", "[1].port", "nothing was written"),
                status("one bad JSON line after a good one, named by its line from 1", 400, "application/x-ndjson", ALL,
                        (event("stream-connected", "\"instance\": \"cp-1\"") + "\n\n{\"type\": \n").getBytes(StandardCharsets.UTF_8),
                        "\"line\":3", "malformed JSON"),
                bad("150 bad events list 100 problems and count the rest", "[" + String.join(", ",
                        Collections.nCopies(150, event("probe-result", "\"port\": 0, \"healthy\": true"))) + "]",
                        "150 problem(s), the first 100 listed", "\"moreProblems\":50", "[99].port"),
                // size and shape limits
                status("10 MB body", 413, JSON, ALL, tenMegabytes, "65536 bytes"),
                bad("deeply nested arrays", "[".repeat(20_000) + "]".repeat(20_000), "nesting depth"),
                bad("deeply nested spec member", "[" + event("dataplane-upserted", "\"environment\": \"universal\", \"spec\": {\"networking\": "
                        + "{\"address\": \"127.0.0.1\"}, \"x\": " + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000) + "}") + "]", "nesting depth"),
                // per-tenant limits (vigil.ingest.limits.*, vigil.ingest.max-event-bytes)
                bad("65 inbounds", upsert(inbounds(65)), "[0].spec.networking.inbound", "at most 64 inbounds"),
                bad("33 tags on an inbound", upsert("{\"port\": 8080, \"tags\": {\"kuma.io/service\": \"web\"" + tags(32) + "}}"),
                        "[0].spec.networking.inbound[0].tags", "at most 32 tags"),
                bad("a tag value over 1024 characters", upsert("{\"port\": 8080, \"tags\": {\"kuma.io/service\": \"" + "w".repeat(1025) + "\"}}"),
                        "kuma.io/service", "at most 1024 characters, got 1025"),
                bad("an address over 1024 characters", "[" + event("dataplane-upserted", "\"environment\": \"universal\", \"spec\": "
                        + "{\"networking\": {\"address\": \"" + "a".repeat(2000) + "\"}}") + "]", "[0].spec.networking.address", "at most 1024"),
                bad("a probe detail over 1024 characters", "[" + event("probe-result", "\"port\": 8080, \"healthy\": false, \"detail\": \""
                        + "d".repeat(1025) + "\"") + "]", "[0].detail", "at most 1024"),
                bad("65 containers", "[" + event("pod-readiness", "\"terminating\": false, \"sidecarReady\": true, \"containers\": ["
                        + String.join(", ", Collections.nCopies(65, "{\"name\": \"c\", \"ready\": true, \"ports\": []}")) + "]") + "]",
                        "[0].containers", "at most 64 containers"),
                bad("a probe more often than the floor (100 ms in the tests)", probed("\"interval\": \"50ms\", \"tcp\": {}"),
                        "[0].spec.networking.inbound[0].serviceProbe.interval", "at least 100ms"),
                bad("a probe timeout over its interval", probed("\"interval\": \"2s\", \"timeout\": \"3s\", \"tcp\": {}"),
                        "[0].spec.networking.inbound[0].serviceProbe.timeout", "at most the interval"),
                bad("an HTTP probe path without a slash", probed("\"http\": {\"path\": \"health\"}"),
                        "[0].spec.networking.inbound[0].serviceProbe.http.path", "starting with"),
                bad("an HTTP probe path that is a URL", probed("\"http\": {\"path\": \"//127.0.0.1/health\"}"),
                        "[0].spec.networking.inbound[0].serviceProbe.http.path", "single /"),
                bad("an HTTP probe path with a space", probed("\"http\": {\"path\": \"/he alth\"}"),
                        "[0].spec.networking.inbound[0].serviceProbe.http.path", "%-encoded"),
                status("an event over the Kafka record limit", 413, JSON, ALL, ("[" + event("dataplane-upserted",
                        "\"environment\": \"universal\", \"spec\": {\"networking\": {\"address\": \"127.0.0.1\"}, \"annotations\": \""
                        + "x".repeat(20_000) + "\"}") + "]").getBytes(StandardCharsets.UTF_8), "the event at [0]", "over the limit of 16384 bytes"),
                // content types
                status("text/plain", 415, "text/plain", ALL, connect, "application/json"),
                status("no content type", 415, null, ALL, connect, "missing"),
                status("XML", 415, "application/xml", ALL, connect, "application/x-ndjson"),
                // tokens
                status("no token", 401, JSON, null, connect, "bearer token"),
                status("unknown token", 401, JSON, "Bearer not-a-token", connect, "bearer token"),
                status("basic auth", 401, JSON, "Basic YWRtaW46YWRtaW4=", connect, "bearer token"),
                status("empty bearer", 401, JSON, "Bearer ", connect, "bearer token"),
                status("token of another mesh", 403, JSON, "Bearer default-only-token", connect, MESH),
                status("token of one of two meshes", 403, JSON, "Bearer default-only-token",
                        ("[" + CONNECT.substring(1, CONNECT.length() - 1) + ", " + CONNECT.substring(1, CONNECT.length() - 1)
                                .replace(MESH, "default") + "]").getBytes(StandardCharsets.UTF_8), MESH));
    }

    private static byte[] withBytes(String before, byte[] middle, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(head, head.length + middle.length + tail.length);
        System.arraycopy(middle, 0, all, head.length, middle.length);
        System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
        return all;
    }

    @Test
    @Order(0)
    void theSuiteHasAtLeastFortyCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(40);
        await().atMost(Duration.ofSeconds(60)).until(() -> send(CONNECT.getBytes(StandardCharsets.UTF_8), JSON, "Bearer nobody").statusCode() == 401);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Order(1)
    void eachIsRefusedWithTheRightStatusAndAMessageNamingTheProblem(Case hostile) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = send(hostile.body(), hostile.contentType(), hostile.authorization());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(hostile.status());
        assertThat(response.body()).contains(hostile.mentions());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered quickly").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    @Order(2)
    void nothingButTheCanaryReachedTheEventLog() throws Exception {
        String canary = "[" + event("stream-connected", "\"instance\": \"canary\"").replace(MESH, PREFIX + "-canary") + "]";
        assertThat(send(canary.getBytes(StandardCharsets.UTF_8), JSON, ALL).statusCode()).isEqualTo(202);
        List<String> meshes = new ArrayList<>();
        for (DataplaneEvent event : ChangeTopicReader.decodableEvents(EmbeddedKafkaExtension.bootstrapServers())) {
            if (event.getMesh().toString().startsWith(PREFIX)) {
                meshes.add(event.getMesh().toString());
            }
        }
        assertThat(meshes).containsExactly(PREFIX + "-canary");
    }

    /** The read paths' bounds: a page, a history window or a cursor out of range is a precise 400, answered at once. */
    @ParameterizedTest(name = "GET {0}")
    @MethodSource("hostileReads")
    @Order(3)
    void eachHostileReadIsRefusedWithA400NamingTheProblem(String path, String mentions) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(events.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(mentions);
    }

    static Stream<Arguments> hostileReads() {
        String mesh = "/api/v1/meshes/" + MESH;
        return Stream.of(
                Arguments.of(mesh + "/services/web/endpoints?size=0", "size"),
                Arguments.of(mesh + "/services/web/endpoints?size=1001", "size"),
                Arguments.of(mesh + "/services/web/endpoints?next=%25%25", "cursor"),
                Arguments.of(mesh + "/dataplanes?size=100000", "size"),
                Arguments.of(mesh + "/dataplanes/dp/history?limit=100000", "limit"),
                Arguments.of(mesh + "/dataplanes/dp/history?from=yesterday", "from"),
                Arguments.of(mesh + "/services/web/history?next=not-a-cursor", "next"),
                Arguments.of("/api/v1/changes?level=everything", "level"));
    }

    private HttpResponse<String> send(byte[] body, String contentType, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
