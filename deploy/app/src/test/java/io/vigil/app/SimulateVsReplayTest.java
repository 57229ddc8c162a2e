package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The projections issue's check: after a seeded {@code vigil simulate} run through the REST API,
 * {@code GET /api/v1/state} and {@code vigil inspect -o json} agree with {@code vigil replay} of
 * the events the simulator wrote with {@code --output}. Versions are compared between the API and
 * inspect (the same views) but not with replay (the live stage 2 coalesces per transaction,
 * replay per file).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
@TestProfile(SimulateVsReplayTest.WithoutProber.class)
class SimulateVsReplayTest {

    /**
     * The simulated Universal dataplanes declare serviceProbes at 127.x addresses where nothing
     * listens: a prober here would add its own results to the log, which the simulator's file lacks.
     */
    public static final class WithoutProber implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.roles", "ingest,aggregator,projections");
        }
    }

    @Test
    void stateAndInspectAfterASimulationEqualTheReplayOfItsEvents() throws Exception {
        String mesh = "sim-" + UUID.randomUUID().toString().substring(0, 8);
        String server = "http://127.0.0.1:" + RestAssured.port;
        Path events = Files.createTempFile("simulate", ".jsonl");
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);

        Cli.Result simulation = Cli.run("simulate", "--target", server, "--token", "all-meshes-token", "--mesh", mesh,
                "--dataplanes", "60", "--inbounds-per-dataplane", "3", "--services", "12", "--flap-probability", "0.2",
                "--kubernetes-share", "0.4", "--seed", "7", "--rate", "3000", "--count", "6000", "--batch", "200",
                "--output", events.toString());
        assertThat(simulation.exitCode()).as(simulation.err()).isZero();
        assertThat(simulation.out()).contains("6,000 events sent").contains(", 0 errors");
        assertThat(Files.readAllLines(events)).hasSize(6000);

        Cli.Result replay = Cli.run("replay", "--events", events.toString(), "--format", "json");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        JsonNode expected = Scenarios.withoutVersions(Scenarios.parse(replay.out()));
        assertThat(expected.get("dataplanes").size()).as("the simulation created dataplanes").isGreaterThan(30);
        assertThat(expected.get("services").size()).isPositive();

        // Caught up when the projections equal the replay; a mismatch fails after the wait with the difference.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(Scenarios.withoutVersions(state(mesh))).isEqualTo(expected));

        JsonNode state = state(mesh);
        // Lists show a service's endpointCount, not its endpoints (they page out of .../endpoints).
        state.get("services").forEach(service -> ((ObjectNode) service).remove("endpoints"));
        for (String list : List.of("dataplanes", "services")) {
            Cli.Result inspect = Cli.run("inspect", list, "--mesh", mesh, "--server", server, "-o", "json");
            assertThat(inspect.exitCode()).as(inspect.err()).isZero();
            assertThat(Scenarios.parse(inspect.out())).as(list).isEqualTo(state.get(list));
        }
    }

    private static JsonNode state(String mesh) {
        return Scenarios.parse(given().queryParam("mesh", mesh).get("/api/v1/state").then().statusCode(200).extract().asString());
    }
}
