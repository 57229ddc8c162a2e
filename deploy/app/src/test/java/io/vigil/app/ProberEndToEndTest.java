package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Universal prober end to end: real workloads on 127.0.0.1, registered through
 * {@code POST /api/v1/events}, probed by the {@code prober} role of this very process, folded by
 * the aggregator and seen in the projections' view. An inbound must flip within
 * {@code interval × threshold + 1 s} of its workload going down, and again of it coming back.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class ProberEndToEndTest {

    private static final String TOKEN = "Bearer all-meshes-token";
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final int THRESHOLD = 2;
    private static final Duration BUDGET = INTERVAL.multipliedBy(THRESHOLD).plusSeconds(1);
    /** The first result needs the prober's group to form and read the log: generous, as it is not what is measured. */
    private static final Duration FIRST_RESULT = Duration.ofSeconds(60);

    private String mesh;
    private TcpWorkload tcp;
    private HttpServer http;
    private final AtomicInteger httpStatus = new AtomicInteger(200);

    @BeforeEach
    void workloads() throws Exception {
        mesh = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        tcp = new TcpWorkload();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(httpStatus.get(), -1);
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void stopWorkloads() throws Exception {
        tcp.close();
        http.stop(0);
    }

    @Test
    void aTcpInboundFlipsWhenItsListenerClosesAndAgainWhenItReopens() throws Exception {
        // servicePort: the prober connects to the workload's port, not the inbound's.
        register("tcp-01", "{\"port\": 10001, \"servicePort\": " + tcp.port() + ", \"tags\": {\"kuma.io/service\": \"tcp\"}, "
                + "\"serviceProbe\": " + probe("\"tcp\": {}") + "}");
        awaitReady("tcp-01", true, FIRST_RESULT);

        tcp.close();
        assertThat(awaitReady("tcp-01", false, BUDGET)).isLessThanOrEqualTo(BUDGET);

        tcp.reopen();
        assertThat(awaitReady("tcp-01", true, BUDGET)).isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void anHttpInboundFlipsOn503AndBackOn200() {
        // address: the inbound's own address overrides the dataplane's.
        register("http-01", "{\"port\": 10002, \"servicePort\": " + http.getAddress().getPort() + ", \"address\": \"127.0.0.1\", "
                + "\"tags\": {\"kuma.io/service\": \"http\"}, \"serviceProbe\": " + probe("\"http\": {\"path\": \"/healthz\"}") + "}");
        awaitReady("http-01", true, FIRST_RESULT);

        httpStatus.set(503);
        assertThat(awaitReady("http-01", false, BUDGET)).isLessThanOrEqualTo(BUDGET);

        httpStatus.set(200);
        assertThat(awaitReady("http-01", true, BUDGET)).isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void aTargetOutsideTheAllowedNetworksIsRefusedAndStaysNotReady() {
        // 10.0.0.0/8 is outside the default allowed networks: the prober makes no connection there.
        // The dataplane's other inbound, on loopback, proves the prober did get to this dataplane.
        register("outside-01", "{\"port\": 10003, \"address\": \"10.1.2.3\", \"tags\": {\"kuma.io/service\": \"outside\"}, "
                + "\"serviceProbe\": " + probe("\"tcp\": {}") + "}, "
                + "{\"port\": 10004, \"servicePort\": " + tcp.port() + ", \"tags\": {\"kuma.io/service\": \"inside\"}, "
                + "\"serviceProbe\": " + probe("\"tcp\": {}") + "}");
        awaitInbound("outside-01", 1, true, FIRST_RESULT);
        await().atMost(FIRST_RESULT).until(() -> refusedTargets() >= 1.0);

        JsonPath view = view("outside-01");
        assertThat(view.getInt("inbounds[0].port")).isEqualTo(10003);
        assertThat(view.getBoolean("inbounds[0].ready")).isFalse();
        assertThat(view.getString("status")).isEqualTo("partially_degraded");
    }

    private static String probe(String kind) {
        return "{\"interval\": \"" + INTERVAL.toMillis() + "ms\", \"timeout\": \"150ms\", \"healthyThreshold\": " + THRESHOLD
                + ", \"unhealthyThreshold\": " + THRESHOLD + ", " + kind + "}";
    }

    private void register(String dataplane, String inbound) {
        String head = "{\"mesh\": \"" + mesh + "\", \"dataplane\": \"" + dataplane + "\", \"time\": \"2026-11-26T10:00:00Z\", ";
        String upsert = head + "\"type\": \"dataplane-upserted\", \"environment\": \"universal\", "
                + "\"spec\": {\"networking\": {\"address\": \"127.0.0.1\", \"inbound\": [" + inbound + "]}}}";
        String connected = head + "\"type\": \"stream-connected\", \"instance\": \"cp-1\"}";
        given().contentType("application/json").header("Authorization", TOKEN).body("[" + upsert + ", " + connected + "]")
                .post("/api/v1/events").then().statusCode(202);
    }

    /** Waits until the dataplane's first inbound has {@code ready}; returns how long that took. */
    private Duration awaitReady(String dataplane, boolean ready, Duration atMost) {
        return awaitInbound(dataplane, 0, ready, atMost);
    }

    /** Waits until the dataplane's {@code index}th inbound (by port) has {@code ready}; returns how long that took. */
    private Duration awaitInbound(String dataplane, int index, boolean ready, Duration atMost) {
        long start = System.nanoTime();
        // Polls a little past the budget, so a late flip fails the caller's assertion with the time it took.
        await().atMost(atMost.plusSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    JsonPath view = view(dataplane);
                    return view != null && Boolean.valueOf(ready).equals(view.get("inbounds[" + index + "].ready"));
                });
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("%s inbound[%d] ready=%s after %d ms%n", dataplane, index, ready, took.toMillis());
        return took;
    }

    private JsonPath view(String dataplane) {
        var response = given().get("/api/v1/meshes/" + mesh + "/dataplanes/" + dataplane);
        return response.statusCode() == 200 ? response.jsonPath() : null;
    }

    private static double refusedTargets() {
        String metrics = given().get("/q/metrics").asString();
        return metrics.lines().filter(line -> line.startsWith("vigil_prober_refused_targets_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
