package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The list paths and {@code vigil inspect} over them, after scenario 10 (services across three
 * dataplanes: one online, one partially degraded, one offline) went in through the write API.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class ListsAndInspectTest {

    private String mesh;

    @BeforeEach
    void postScenarioTen() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<String> lines = Scenarios.inOwnMeshes("10-service-aggregation", suffix);
        mesh = "default-" + suffix;
        given().contentType("application/x-ndjson").header("Authorization", "Bearer all-meshes-token")
                .body(String.join("\n", lines).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/events").then().statusCode(202);
        // The scenario's end state: backend has all three members counted, one of each status.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/api/v1/meshes/" + mesh + "/services/backend").then().statusCode(200)
                        .body("dataplanes.online", equalTo(1)).body("dataplanes.offline", equalTo(1))
                        .body("dataplanes.partiallyDegraded", equalTo(1)));
    }

    @Test
    void meshesAreCountedPerStatus() {
        given().get("/api/v1/meshes").then().statusCode(200)
                .body("find { it.mesh == '" + mesh + "' }.dataplanes.total", equalTo(3))
                .body("find { it.mesh == '" + mesh + "' }.dataplanes.online", equalTo(1))
                .body("find { it.mesh == '" + mesh + "' }.dataplanes.partiallyDegraded", equalTo(1))
                .body("find { it.mesh == '" + mesh + "' }.services.total", equalTo(2));
    }

    @Test
    void dataplanesFilterAndPageInNameOrder() {
        String path = "/api/v1/meshes/" + mesh + "/dataplanes";
        given().get(path + "?status=offline").then().statusCode(200).body("items.name", contains("c")).body("next", nullValue());
        given().get(path + "?service=backend-admin").then().body("items.name", contains("b"));
        String next = given().get(path + "?size=2").then().statusCode(200).body("items.name", contains("a", "b"))
                .extract().path("next");
        given().get(path + "?size=2&next=" + next).then().body("items.name", contains("c")).body("next", nullValue());
        given().get(path + "?prefix=b").then().body("items.name", contains("b"));
    }

    @Test
    void listsFilterByTag() {
        String dataplanes = "/api/v1/meshes/" + mesh + "/dataplanes";
        given().get(dataplanes + "?tag=kuma.io/protocol:http").then().statusCode(200).body("items.name", contains("a", "b", "c"));
        given().get(dataplanes + "?tag=kuma.io/service:backend-admin").then().body("items.name", contains("b"));
        given().get(dataplanes + "?tag=kuma.io/protocol:grpc").then().body("items.name", empty());
        given().get("/api/v1/meshes/" + mesh + "/services?tag=kuma.io/service:backend-admin").then().statusCode(200)
                .body("items.name", contains("backend-admin"));
        given().get(dataplanes + "?tag=nocolon").then().statusCode(400).body("error", containsString("key:value"));
        given().get("/api/v1/meshes/" + mesh + "/services?tag=:value").then().statusCode(400).body("error", containsString("key:value"));
    }

    @Test
    void badFiltersAreBadRequests() {
        String path = "/api/v1/meshes/" + mesh + "/dataplanes";
        given().get(path + "?status=sleepy").then().statusCode(400).body("error", containsString("partially_degraded"));
        given().get(path + "?size=0").then().statusCode(400).body("error", containsString("size"));
        given().get(path + "?next=%25%25").then().statusCode(400).body("error", containsString("cursor"));
    }

    @Test
    void servicesAndTheirEndpoints() {
        given().get("/api/v1/meshes/" + mesh + "/services?status=offline").then().body("items.name", contains("backend-admin"));
        given().get("/api/v1/meshes/" + mesh + "/services").then().body("items.find { it.name == 'backend' }.endpointCount", equalTo(3))
                .body("items.find { it.name == 'backend' }", not(hasKey("endpoints")));
        given().get("/api/v1/meshes/" + mesh + "/services/backend/endpoints").then().statusCode(200)
                .body("items.dataplane", contains("a", "b", "c")).body("items.port", contains(8080, 8080, 8080)).body("next", nullValue());
        String next = given().get("/api/v1/meshes/" + mesh + "/services/backend/endpoints?size=2").then().statusCode(200)
                .body("items.dataplane", contains("a", "b")).extract().path("next");
        given().get("/api/v1/meshes/" + mesh + "/services/backend/endpoints?size=2&next=" + next).then().statusCode(200)
                .body("items.dataplane", contains("c")).body("next", nullValue());
        given().get("/api/v1/meshes/" + mesh + "/services/backend/endpoints?next=YQ").then().statusCode(400)
                .body("error", containsString("cursor"));
        given().get("/api/v1/meshes/" + mesh + "/services/none/endpoints").then().statusCode(404);
    }

    @Test
    void inspectPrintsKumactlTablesJsonAndYaml() {
        String server = "http://127.0.0.1:" + RestAssured.port;
        Cli.Result services = Cli.run("inspect", "services", "--mesh", mesh, "--server", server);
        assertThat(services.exitCode()).as(services.err()).isZero();
        assertThat(services.out()).startsWith("SERVICE").containsPattern("backend\\s+Partially degraded\\s+1/3\\s+3")
                .containsPattern("backend-admin\\s+Offline\\s+0/1\\s+0").doesNotContain("\u001b[");
        Cli.Result dataplanes = Cli.run("inspect", "dataplanes", "--mesh", mesh, "--status", "offline", "--server", server, "-o", "json");
        assertThat(Scenarios.parse(dataplanes.out()).findValuesAsText("name")).containsExactly("c");
        Cli.Result one = Cli.run("inspect", "dataplane", "b", "--mesh", mesh, "--server", server, "-o", "yaml");
        assertThat(one.out()).contains("status: \"partially_degraded\"");
        Cli.Result table = Cli.run("inspect", "dataplane", "b", "--mesh", mesh, "--server", server);
        assertThat(table.out()).contains("Partially degraded").contains("not ready: health.ready is false");
    }

    @Test
    void inspectErrorsSayWhat() {
        String server = "http://127.0.0.1:" + RestAssured.port;
        Cli.Result unknown = Cli.run("inspect", "dataplane", "nobody", "--mesh", mesh, "--server", server);
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no dataplane nobody");
        assertThat(Cli.run("inspect", "dataplane", "--server", server).exitCode()).isEqualTo(2);
        Cli.Result down = Cli.run("inspect", "meshes", "--server", "http://127.0.0.1:1");
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.err()).contains("cannot reach vigil");
    }
}
