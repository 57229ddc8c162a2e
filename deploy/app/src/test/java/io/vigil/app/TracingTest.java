package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vigil.aggregator.runtime.ChangeTopicReader;
import io.vigil.ingest.DirectEventLog;
import io.vigil.kafka.EmbeddedKafkaExtension;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import io.vigil.schemas.EventJson;
import io.vigil.schemas.KeyFormat;
import io.vigil.schemas.Topics;
import io.vigil.schemas.kafka.KafkaClients;
import io.vigil.schemas.kafka.KafkaSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, a POST, the event-log records it wrote, both stages' processing, the change
 * records they wrote and the views applying them are one trace, each span the child of the one
 * before; events that no request sent start no trace. Spans go to an in-memory exporter.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class TracingTest {

    private static final String ALL = "Bearer all-meshes-token";

    /** Tracing on as {@code vigil serve --otlp-endpoint} turns it on, exporting every 50 ms. */
    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "PT0.05S");
        }
    }

    /** The exporter the SDK sends the spans to in this test, instead of an OTLP collector. */
    @ApplicationScoped
    static class Spans {
        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }
    }

    @Inject
    InMemorySpanExporter spans;

    private String mesh;

    @BeforeEach
    void readyAndFreshMesh() {
        mesh = "traced-" + UUID.randomUUID().toString().substring(0, 8);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aPostItsEventsBothStagesItsChangesAndTheViewsAreOneTrace() {
        // The client's own trace, which the POST continues.
        String trace = UUID.randomUUID().toString().replace("-", "");
        String clientSpan = trace.substring(0, 16);
        given().contentType("application/json").header("Authorization", ALL).header("traceparent", "00-" + trace + "-" + clientSpan + "-01")
                .body("[" + upsert("web-01") + ", " + event("web-01", "\"type\": \"stream-connected\", \"instance\": \"cp-1\"") + "]")
                .post("/api/v1/events")
                .then().statusCode(202);

        SpanData post = await().atMost(Duration.ofSeconds(30)).until(
                () -> spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(trace) && s.getKind() == SpanKind.SERVER).findFirst(),
                Optional::isPresent).orElseThrow();
        assertThat(post.getName()).contains("/api/v1/events");
        assertThat(post.getParentSpanId()).as("the POST continues the client's trace").isEqualTo(clientSpan);

        List<SpanData> sends = await().atMost(Duration.ofSeconds(30)).until(
                () -> inTrace(trace, "send " + Topics.DATAPLANE_EVENTS.name()), list -> list.size() == 2);
        assertThat(sends).allSatisfy(send -> {
            assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(send.getParentSpanId()).as("each event's send is a child of the POST").isEqualTo(post.getSpanId());
        });

        List<SpanData> stage1 = await().atMost(Duration.ofSeconds(30)).until(
                () -> inTrace(trace, "process " + Topics.DATAPLANE_EVENTS.name()), list -> list.size() == 2);
        assertThat(stage1).allSatisfy(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(sends).extracting(SpanData::getSpanId).as("stage 1 continues the record's send").contains(span.getParentSpanId());
            assertThat(span.getAttributes().asMap().toString()).contains("vigil-aggregator-dataplanes");
        });

        List<SpanData> stage2 = await().atMost(Duration.ofSeconds(30)).until(
                () -> inTrace(trace, "process " + Topics.SERVICE_MEMBERSHIP.name()), list -> !list.isEmpty());
        assertThat(stage2).allSatisfy(span ->
                assertThat(stage1).extracting(SpanData::getSpanId).as("stage 2 continues stage 1").contains(span.getParentSpanId()));

        List<SpanData> views = await().atMost(Duration.ofSeconds(30)).until(
                () -> inTrace(trace, "process " + Topics.SERVICE_HEALTH.name()), list -> !list.isEmpty());
        assertThat(views).allSatisfy(span ->
                assertThat(stage2).extracting(SpanData::getSpanId).as("the views continue stage 2").contains(span.getParentSpanId()));
        assertThat(inTrace(trace, "process " + Topics.PROXY_HEALTH.name())).as("the proxy change, from stage 1")
                .allSatisfy(span -> assertThat(stage1).extracting(SpanData::getSpanId).contains(span.getParentSpanId()))
                .isNotEmpty();

        ConsumerRecord<String, byte[]> serviceChange = ChangeTopicReader.records(EmbeddedKafkaExtension.bootstrapServers(),
                Topics.SERVICE_HEALTH.name()).stream().filter(r -> r.key().equals(KeyFormat.of(mesh, "web"))).reduce((a, b) -> b).orElseThrow();
        assertThat(traceparent(serviceChange)).as("the service change record carries the trace")
                .startsWith("00-" + trace + "-")
                .matches(value -> stage2.stream().anyMatch(span -> value.contains("-" + span.getSpanId() + "-")), "a stage 2 span");
        assertThat(spans.getFinishedSpanItems()).filteredOn(s -> s.getTraceId().equals(trace))
                .allSatisfy(span -> assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR));
    }

    @Test
    void eventsWithoutATraceStartNone() {
        given().contentType("application/json").header("Authorization", ALL)
                .body("[" + upsert("web-02") + "]")
                .post("/api/v1/events")
                .then().statusCode(202);
        String key = KeyFormat.of(mesh, "web-02");
        ConsumerRecord<String, byte[]> traced = await().atMost(Duration.ofSeconds(30)).until(
                () -> ChangeTopicReader.records(EmbeddedKafkaExtension.bootstrapServers(), Topics.PROXY_HEALTH.name()).stream()
                        .filter(r -> r.key().equals(key)).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(traceparent(traced)).as("a request in a trace").isNotNull();

        // The same event written straight to the event log, as the prober and the pod watcher write theirs.
        String untracedMesh = mesh + "-direct";
        try (DirectEventLog log = new DirectEventLog(new KafkaClients(KafkaSettings.of(EmbeddedKafkaExtension.bootstrapServers())))) {
            log.append(List.of(EventJson.parse(upsert("web-03").replace(mesh, untracedMesh)))).join();
        }
        String untracedKey = KeyFormat.of(untracedMesh, "web-03");
        ConsumerRecord<String, byte[]> untraced = await().atMost(Duration.ofSeconds(30)).until(
                () -> ChangeTopicReader.records(EmbeddedKafkaExtension.bootstrapServers(), Topics.PROXY_HEALTH.name()).stream()
                        .filter(r -> r.key().equals(untracedKey)).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(traceparent(untraced)).as("a change no request caused carries no trace").isNull();
    }

    @Test
    void anOtlpEndpointThatIsNoHttpUrlIsBadUsage() {
        for (String endpoint : List.of("collector:4317", "grpc://127.0.0.1:4317", "http://")) {
            Cli.Result serve = Cli.run("serve", "--otlp-endpoint", endpoint);

            assertThat(serve.exitCode()).as(endpoint).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(serve.err()).as(endpoint).contains("--otlp-endpoint must be the http or https URL of an OTLP collector");
        }
    }

    private List<SpanData> inTrace(String trace, String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(trace) && s.getName().equals(name)).toList();
    }

    private static String traceparent(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader("traceparent");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private String upsert(String dataplane) {
        return event(dataplane, "\"type\": \"dataplane-upserted\", \"environment\": \"universal\", \"spec\": {\"networking\": "
                + "{\"address\": \"127.0.0.1\", \"inbound\": [{\"port\": 8080, \"servicePort\": 18080, \"tags\": {\"kuma.io/service\": \"web\"}}]}}");
    }

    private String event(String dataplane, String body) {
        return "{\"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane + "\", \"time\": \"2026-11-26T10:00:00Z\", " + body + "}";
    }
}
