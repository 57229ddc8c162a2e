package io.vigil.schemas;

import static io.vigil.schemas.EventJsonTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each malformed event is rejected with exactly one problem, at the right path, saying what was expected and found. */
class EventJsonBadInputTest {

    private static final String HEAD = "'mesh':'default','dataplane':'web-01','time':'2026-11-26T10:00:00Z'";

    private static String upsert(String networking) {
        return "{'type':'dataplane-upserted'," + HEAD + ",'environment':'universal','spec':{'networking':" + networking + "}}";
    }

    private static String inbound(String inbound) {
        return upsert("{'address':'127.0.0.1','inbound':[" + inbound + "]}");
    }

    private static String probe(String probe) {
        return inbound("{'port':8080,'tags':{'kuma.io/service':'web'},'serviceProbe':" + probe + "}");
    }

    private static String pod(String containers) {
        return "{'type':'pod-readiness'," + HEAD + ",'terminating':false,'sidecarReady':true,'containers':" + containers + "}";
    }

    private static Arguments bad(String singleQuoted, String path, String... keyWords) {
        return Arguments.of(singleQuoted, path, keyWords);
    }

    static Stream<Arguments> malformedEvents() {
        String probePath = "spec.networking.inbound[0].serviceProbe";
        return Stream.of(
                bad("[1,2]", "", "expected an object", "got an array"),
                bad("{'type':", "", "malformed JSON", "line 1"),
                bad("{'type':'dataplane-deleted'," + HEAD + "} {}", "", "malformed JSON", "Trailing token"),
                bad("{'type':'dataplane-deleted','type':'dataplane-deleted'," + HEAD + "}", "", "malformed JSON", "Duplicate field 'type'"),
                bad("{" + HEAD + "}", "type", "missing", "expected one of dataplane-upserted, dataplane-deleted, stream-connected,"
                        + " stream-disconnected, probe-result, pod-readiness, dataplane-draining, inbound-health"),
                bad("{'type':'probe'," + HEAD + "}", "type", "expected one of dataplane-upserted", "got \"probe\""),
                bad("{'type':5," + HEAD + "}", "type", "expected one of", "got 5"),
                bad("{'type':'dataplane-deleted','dataplane':'d','time':'2026-11-26T10:00:00Z'}", "mesh", "missing", "non-empty string"),
                bad("{'type':'dataplane-deleted','mesh':'','dataplane':'d','time':'2026-11-26T10:00:00Z'}", "mesh", "non-empty string", "got \"\""),
                bad("{'type':'dataplane-deleted','mesh':'a/b','dataplane':'d','time':'2026-11-26T10:00:00Z'}", "mesh", "no \"/\"", "got \"a/b\""),
                bad("{'type':'dataplane-deleted','mesh':null,'dataplane':'d','time':'2026-11-26T10:00:00Z'}", "mesh", "non-empty string", "got null"),
                bad("{'type':'dataplane-deleted','mesh':'m','dataplane':'" + "d".repeat(254) + "','time':'2026-11-26T10:00:00Z'}",
                        "dataplane", "at most 253 characters", "got 254"),
                bad("{'type':'dataplane-deleted','mesh':'m','dataplane':'web\\u000101','time':'2026-11-26T10:00:00Z'}",
                        "dataplane", "no control characters", "\"web\\u000101\""),
                bad("{'type':'dataplane-deleted','mesh':'m','dataplane':'web\\ud800','time':'2026-11-26T10:00:00Z'}",
                        "dataplane", "well-formed Unicode", "lone surrogate \\uD800 at character 3"),
                bad("{'type':'stream-connected'," + HEAD + ",'instance':'\\udc00\\ud83d'}", "instance", "lone surrogate \\uDC00"),
                bad(inbound("{'port':8080,'tags':{'kuma.io/service':'w\\ud83d'}}"), "spec.networking.inbound[0].tags[\"kuma.io/service\"]",
                        "lone surrogate \\uD83D"),
                bad("{'type':'dataplane-deleted','mesh':'m','dataplane':'d'}", "time", "missing", "ISO-8601 instant"),
                bad("{'type':'dataplane-deleted','mesh':'m','dataplane':'d','time':'yesterday'}", "time", "ISO-8601 instant", "got \"yesterday\""),
                bad("{'type':'dataplane-deleted','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00'}", "time", "with offset", "got \"2026-11-26T10:00:00\""),
                bad("{'type':'dataplane-deleted','mesh':'m','dataplane':'d','time':'2026-02-30T10:00:00Z'}", "time", "ISO-8601 instant"),
                bad("{'type':'dataplane-deleted','mesh':'m','dataplane':'d','time':1764151200}", "time", "ISO-8601 instant", "got 1764151200"),
                bad("{'type':'dataplane-deleted','mesh':'m','dataplane':'d','time':'2026-11-26T10:00:00.123456789Z'}", "time", "microsecond precision"),
                bad("{'type':'dataplane-deleted','mesh':'m','dataplane':'d','time':'+10000-01-01T00:00:00Z'}", "time", "years 0000 to 9999"),
                bad("{'type':'dataplane-deleted'," + HEAD + ",'id':'" + "i".repeat(257) + "'}", "id", "at most 256 characters", "got 257"),
                bad("{'type':'dataplane-deleted'," + HEAD + ",'id':7}", "id", "non-empty string", "got 7"),
                bad("{'type':'dataplane-deleted'," + HEAD + ",'spec':{}}", "spec", "unknown field", "expected one of type, mesh, dataplane, time, id"),
                bad("{'type':'stream-connected'," + HEAD + ",'instance':'cp-1','colour':'red'}", "colour", "unknown field", "instance, stream"),
                bad("{'type':'stream-connected'," + HEAD + "}", "instance", "missing", "non-empty string"),
                bad("{'type':'probe-result'," + HEAD + ",'port':'abc','healthy':true}", "port", "expected an integer from 1 to 65535, got \"abc\""),
                bad("{'type':'probe-result'," + HEAD + ",'port':0,'healthy':true}", "port", "from 1 to 65535", "got 0"),
                bad("{'type':'probe-result'," + HEAD + ",'port':8080.5,'healthy':true}", "port", "from 1 to 65535", "got 8080.5"),
                bad("{'type':'probe-result'," + HEAD + ",'port':8080,'healthy':'true'}", "healthy", "true or false", "got \"true\""),
                bad("{'type':'probe-result'," + HEAD + ",'port':8080,'healthy':true,'detail':false}", "detail", "expected a string", "got false"),
                bad("{'type':'inbound-health'," + HEAD + ",'port':8080}", "ready", "missing", "true or false"),
                bad(pod("{'app':true}"), "containers", "expected an array", "got an object"),
                bad(pod("[{'name':'app','ports':[8080]}]"), "containers[0].ready", "missing", "true or false"),
                bad(pod("[{'name':'app','ready':true,'ports':[8080]},{'name':'x','ready':true,'ports':[70000]}]"),
                        "containers[1].ports[0]", "from 1 to 65535", "got 70000"),
                bad(pod("[{'name':'app','ready':true,'ports':[],'image':'nginx'}]"), "containers[0].image", "unknown field", "name, ready, ports"),
                bad("{'type':'dataplane-upserted'," + HEAD + ",'environment':'vm','spec':{'networking':{'address':'127.0.0.1'}}}",
                        "environment", "expected one of universal, kubernetes", "got \"vm\""),
                bad("{'type':'dataplane-upserted'," + HEAD + ",'environment':'universal'}", "spec", "missing", "an object"),
                bad("{'type':'dataplane-upserted'," + HEAD + ",'environment':'universal','spec':{'mesh':'default'}}", "spec.networking", "missing"),
                bad(upsert("{'inbound':[]}"), "spec.networking.address", "missing", "non-empty string"),
                bad(upsert("{'address':'127.0.0.1','inbound':{}}"), "spec.networking.inbound", "expected an array", "got an object"),
                bad(inbound("8080"), "spec.networking.inbound[0]", "expected an object", "got 8080"),
                bad(inbound("{'port':'abc','tags':{'kuma.io/service':'web'}}"),
                        "spec.networking.inbound[0].port", "expected an integer from 1 to 65535, got \"abc\""),
                bad(inbound("{'port':8080,'servicePort':0,'tags':{'kuma.io/service':'web'}}"),
                        "spec.networking.inbound[0].servicePort", "from 1 to 65535", "got 0"),
                bad(inbound("{'port':8080,'address':'','tags':{'kuma.io/service':'web'}}"),
                        "spec.networking.inbound[0].address", "non-empty string", "got \"\""),
                bad(inbound("{'port':8080,'tags':{'kuma.io/protocol':'http'}}"),
                        "spec.networking.inbound[0].tags", "missing the kuma.io/service tag", "non-empty service name"),
                bad(inbound("{'port':8080,'tags':{'kuma.io/service':''}}"),
                        "spec.networking.inbound[0].tags[\"kuma.io/service\"]", "non-empty service name", "got \"\""),
                bad(inbound("{'port':8080,'tags':{'kuma.io/service':'web','version':2}}"),
                        "spec.networking.inbound[0].tags.version", "expected a string", "got 2"),
                bad(inbound("{'port':8080,'tags':{'kuma.io/service':'a'}},{'port':8080,'tags':{'kuma.io/service':'b'}}"),
                        "spec.networking.inbound[1].port", "duplicate port", "got 8080 again", "inbound[0]"),
                bad(upsert("{'address':'127.0.0.1','inbound':[{'port':1,'tags':{'kuma.io/service':'a'}}],'gateway':{'tags':{'kuma.io/service':'g'}}}"),
                        "spec.networking", "expected inbound or gateway", "got both"),
                bad(upsert("{'address':'127.0.0.1','gateway':{'type':'BUILTIN','tags':{}}}"),
                        "spec.networking.gateway.tags", "missing the kuma.io/service tag"),
                bad(inbound("{'port':8080,'tags':{'kuma.io/service':'web'},'health':{'ready':'yes'}}"),
                        "spec.networking.inbound[0].health.ready", "true or false", "got \"yes\""),
                bad(inbound("{'port':8080,'tags':{'kuma.io/service':'web'},'health':{'status':'ok'}}"),
                        "spec.networking.inbound[0].health.status", "unknown field", "expected one of ready"),
                bad(probe("{'interval':'1.5ms'}"), probePath + ".interval", "whole milliseconds", "got \"1.5ms\"", "finer than a millisecond"),
                bad(probe("{'interval':'-1s'}"), probePath + ".interval", "positive duration", "not positive"),
                bad(probe("{'timeout':'2 seconds'}"), probePath + ".timeout", "positive duration", "unknown unit"),
                bad(probe("{'timeout':2000}"), probePath + ".timeout", "positive duration", "got 2000"),
                bad(probe("{'healthyThreshold':0}"), probePath + ".healthyThreshold", "an integer of at least 1", "got 0"),
                bad(probe("{'grpc':{}}"), probePath + ".grpc", "unknown field", "interval, timeout, healthyThreshold, unhealthyThreshold, tcp, http"),
                bad(probe("{'tcp':{'port':1}}"), probePath + ".tcp.port", "unknown field", "no fields"),
                bad(probe("{'tcp':{},'http':{'path':'/'}}"), probePath, "at most one of tcp, http", "got both"),
                bad(probe("{'http':{'path':'health'}}"), probePath + ".http.path", "starting with \"/\"", "got \"health\""));
    }

    @ParameterizedTest
    @MethodSource("malformedEvents")
    void rejectsWithThePathAndWhatWasExpected(String singleQuoted, String path, String[] keyWords) {
        EventFormatException rejected = catchThrowableOfType(EventFormatException.class, () -> EventJson.parse(json(singleQuoted)));

        assertThat(rejected).as("rejected").isNotNull();
        assertThat(rejected.problems()).hasSize(1);
        Problem problem = rejected.problems().get(0);
        assertThat(problem.path()).isEqualTo(path);
        assertThat(problem.message()).contains(keyWords);
    }

    @Test
    void reportsEveryProblemNotJustTheFirst() {
        String event = "{'type':'dataplane-upserted','mesh':'','time':'soon','environment':'vm','spec':{'networking':{'address':'127.0.0.1',"
                + "'inbound':[{'port':0,'tags':{}},{'port':8080,'tags':{'kuma.io/service':'a'},'serviceProbe':{'interval':'1ns'}}]}},'extra':1}";

        EventFormatException rejected = catchThrowableOfType(EventFormatException.class, () -> EventJson.parse(json(event)));

        assertThat(rejected.problems()).extracting(Problem::path).containsExactlyInAnyOrder(
                "mesh", "dataplane", "time", "extra", "environment",
                "spec.networking.inbound[0].port", "spec.networking.inbound[0].tags",
                "spec.networking.inbound[1].serviceProbe.interval");
        assertThat(rejected.getMessage()).contains("mesh: expected a non-empty string, got \"\"", "; dataplane: missing");
    }

    @Test
    void aNonObjectIsOneProblemAtTheRoot() {
        EventFormatException rejected = catchThrowableOfType(EventFormatException.class, () -> EventJson.parse("\"web-01\""));

        assertThat(rejected.problems()).containsExactly(new Problem("", "expected an object, got \"web-01\""));
    }

    @Test
    void longValuesAreShortenedInMessages() {
        String event = "{'type':'dataplane-deleted','mesh':'m','dataplane':'d','time':'" + "9".repeat(200) + "'}";

        List<Problem> problems = catchThrowableOfType(EventFormatException.class, () -> EventJson.parse(json(event))).problems();

        assertThat(problems.get(0).message()).endsWith("...").hasSizeLessThan(200);
    }
}
