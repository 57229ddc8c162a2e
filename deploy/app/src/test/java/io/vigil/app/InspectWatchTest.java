package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil inspect --watch}: the list first, then one line per change. The watch is started
 * in the background and its dataplane is flipped until it has printed what it was asked for, so
 * the test never depends on when the stream opened.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class InspectWatchTest {

    private final String mesh = "watch-" + UUID.randomUUID().toString().substring(0, 8);
    private boolean connected = true;

    @BeforeEach
    void oneOnlineDataplane() {
        post("""
                {"type": "dataplane-upserted", "mesh": "%s", "dataplane": "w-0", "time": "2026-12-03T10:00:00Z", "environment": "universal", \
                "spec": {"networking": {"address": "127.0.0.1", "inbound": [{"port": 8080, "tags": {"kuma.io/service": "web"}}]}}}
                {"type": "stream-connected", "mesh": "%s", "dataplane": "w-0", "time": "2026-12-03T10:00:01Z", "instance": "cp-1"}
                """.formatted(mesh, mesh));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/api/v1/meshes/" + mesh + "/services/web").then().statusCode(200).body("status", equalTo("online")));
    }

    @Test
    void aTableWatchPrintsTheListThenALinePerChange() throws Exception {
        Cli.Result result = watchWhileFlipping("inspect", "dataplanes", "--mesh", mesh, "--watch", "--max-changes", "2");

        assertThat(result.exitCode()).as(result.err()).isZero();
        String[] lines = result.out().split("\n");
        assertThat(lines[0]).contains("NAME", "STATUS");
        assertThat(lines[1]).contains("w-0", "Online");
        assertThat(lines).hasSize(4);
        assertThat(lines[2]).contains("proxy", mesh + "/w-0", "Online -> Offline", "v", "stream-disconnected");
        assertThat(lines[3]).contains("Offline -> Online", "stream-connected");
    }

    @Test
    void aJsonWatchOfOneServicePrintsItThenEachChangeAsTheStreamWritesIt() throws Exception {
        Cli.Result result = watchWhileFlipping("inspect", "service", "web", "--mesh", mesh, "-o", "json", "--watch", "--max-changes", "1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        String out = result.out();
        String change = out.substring(out.lastIndexOf('\n', out.length() - 2) + 1).strip();
        JsonNode first = Scenarios.parse(out.substring(0, out.length() - change.length() - 1));
        JsonNode line = Scenarios.parse(change);
        assertThat(first.path("name").asText()).isEqualTo("web");
        assertThat(line.path("level").asText()).isEqualTo("service");
        assertThat(line.path("key").asText()).isEqualTo(mesh + "/web");
        assertThat(line.path("version").asLong()).isGreaterThan(first.path("version").asLong());
    }

    @Test
    void watchingMeshesOrACountWithoutWatchIsBadUsage() {
        assertThat(Cli.run("inspect", "meshes", "--watch", "--server", server()).exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        Cli.Result count = Cli.run("inspect", "dataplanes", "--max-changes", "1", "--server", server());
        assertThat(count.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(count.err()).contains("--max-changes needs --watch");
    }

    /** Runs the watch in the background and flips the dataplane's connection until the watch is done. */
    private Cli.Result watchWhileFlipping(String... args) throws Exception {
        String[] withServer = new String[args.length + 2];
        System.arraycopy(args, 0, withServer, 0, args.length);
        withServer[args.length] = "--server";
        withServer[args.length + 1] = server();
        CompletableFuture<Cli.Result> watch = CompletableFuture.supplyAsync(() -> Cli.run(withServer));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!watch.isDone()) {
                flip();
            }
            return watch.isDone();
        });
        return watch.get(1, TimeUnit.SECONDS);
    }

    private void flip() {
        connected = !connected;
        post(connected
                ? "{\"type\": \"stream-connected\", \"mesh\": \"%s\", \"dataplane\": \"w-0\", \"time\": \"2026-12-03T10:01:00Z\", \"instance\": \"cp-1\"}"
                        .formatted(mesh)
                : "{\"type\": \"stream-disconnected\", \"mesh\": \"%s\", \"dataplane\": \"w-0\", \"time\": \"2026-12-03T10:01:00Z\", \"instance\": \"cp-1\"}"
                        .formatted(mesh));
    }

    private static void post(String lines) {
        given().contentType("application/x-ndjson; charset=utf-8").header("Authorization", "Bearer all-meshes-token")
                .body(lines.getBytes(StandardCharsets.UTF_8)).post("/api/v1/events").then().statusCode(202);
    }

    private static String server() {
        return "http://127.0.0.1:" + RestAssured.port;
    }
}
