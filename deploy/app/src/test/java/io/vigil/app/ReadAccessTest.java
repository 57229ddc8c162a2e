package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code vigil.require-read-token}: every read path needs a bearer token, and a token scoped to
 * meshes sees only those meshes on every path: the lists, the state, single entities, endpoints,
 * history and the live stream. Another mesh's entity answers exactly like one that does not
 * exist. The API description, health and the web page's files stay public. Tokens are in
 * {@code src/test/resources/read-tokens}: {@code red-reader} reads mesh red, {@code blue-reader}
 * mesh blue, {@code red-writer} writes (and so reads) red.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
@TestProfile(ReadAccessTest.ReadTokens.class)
class ReadAccessTest {

    /** Reads need a token; the tokens file has mesh-scoped and read-only tokens. */
    public static class ReadTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.require-read-token", "true", "vigil.tokens-file", "src/test/resources/read-tokens");
        }
    }

    static final String RED_READER = "Bearer red-reader-token-0123456789";
    static final String RED_WRITER = "Bearer red-writer-token-0123456789";
    private static final String ALL = ChangeEvents.TOKEN;
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path tmp;

    private String dataplane;

    /** The same dataplane name in mesh red and in mesh blue, upserted and connected (proxy version 2). */
    private void oneDataplaneInEachMesh() {
        dataplane = "dp-" + UUID.randomUUID().toString().substring(0, 8);
        ChangeEvents.post(ChangeEvents.start("red", List.of(dataplane), T0));
        ChangeEvents.post(ChangeEvents.start("blue", List.of(dataplane), T0));
        for (String mesh : List.of("red", "blue")) {
            awaitProxyVersion(mesh, 2);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    given().header("Authorization", ALL).get("/api/v1/meshes/" + mesh + "/services/web").statusCode() == 200);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/state", "/api/v1/meshes", "/api/v1/meshes/red/dataplanes", "/api/v1/meshes/red/services",
            "/api/v1/meshes/red/dataplanes/DP", "/api/v1/meshes/red/services/web", "/api/v1/meshes/red/services/web/endpoints",
            "/api/v1/meshes/red/dataplanes/DP/history", "/api/v1/meshes/red/services/web/history", "/api/v1/changes"})
    void everyReadPathNeedsAKnownToken(String template) {
        String path = template.replace("DP", "any-dataplane");
        given().get(path).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("error", containsString("Authorization: Bearer TOKEN"));
        given().header("Authorization", "Bearer not-a-token-anyone-issued").get(path).then().statusCode(401);
        given().header("Authorization", "Basic cmVkLXJlYWRlcg==").get(path).then().statusCode(401);
    }

    @Test
    void theApiDescriptionHealthAndThePageItselfArePublic() {
        JsonNode openApi = json(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200));
        assertThat(openApi.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        for (String path : List.of("/api/v1/state", "/api/v1/changes", "/api/v1/meshes/{mesh}/dataplanes/{name}")) {
            JsonNode get = openApi.get("paths").get(path).get("get");
            assertThat(get.get("responses").has("401")).as(path + " documents 401").isTrue();
            assertThat(get.get("responses").has("200") || get.get("responses").has("403")).as(path).isTrue();
            assertThat(get.get("security").findValues("bearer")).as(path + " names the bearer scheme").isNotEmpty();
        }
        given().get("/q/health/live").then().statusCode(200);
        given().get("/").then().statusCode(200).contentType(containsString("text/html")).body(containsString("token-form"));
        given().get("/js/live.js").then().statusCode(200);
    }

    @Test
    void aScopedTokenSeesOnlyItsMeshesOnEveryReadPath() {
        oneDataplaneInEachMesh();
        JsonNode meshes = json(given().header("Authorization", RED_READER).get("/api/v1/meshes").then().statusCode(200));
        assertThat(meshes.findValuesAsText("mesh")).containsExactly("red");

        JsonNode state = json(given().header("Authorization", RED_READER).get("/api/v1/state").then().statusCode(200));
        assertThat(state.get("dataplanes").findValuesAsText("mesh")).isNotEmpty().containsOnly("red");
        assertThat(state.get("dataplanes").findValuesAsText("name")).contains(dataplane);
        assertThat(state.get("services").findValuesAsText("mesh")).isNotEmpty().containsOnly("red");
        JsonNode everything = json(given().header("Authorization", ALL).get("/api/v1/state").then().statusCode(200));
        assertThat(everything.get("dataplanes").findValuesAsText("mesh")).as("the all-mesh token sees both").contains("red", "blue");

        given().header("Authorization", RED_READER).get("/api/v1/meshes/red/dataplanes/" + dataplane).then().statusCode(200)
                .body("mesh", equalTo("red"));
        given().header("Authorization", RED_READER).get("/api/v1/meshes/red/dataplanes").then().statusCode(200);
        given().header("Authorization", RED_READER).get("/api/v1/meshes/red/services/web/endpoints").then().statusCode(200);
        JsonNode history = json(given().header("Authorization", RED_READER)
                .get("/api/v1/meshes/red/dataplanes/" + dataplane + "/history").then().statusCode(200));
        assertThat(history.get("transitions").findValuesAsText("mesh")).isNotEmpty().containsOnly("red");

        for (String path : List.of("/api/v1/state?mesh=blue", "/api/v1/meshes/blue/dataplanes", "/api/v1/meshes/blue/services?status=online",
                "/api/v1/meshes/blue/dataplanes/" + dataplane, "/api/v1/meshes/blue/services/web", "/api/v1/meshes/blue/services/web/endpoints",
                "/api/v1/meshes/blue/dataplanes/" + dataplane + "/history", "/api/v1/meshes/blue/services/web/history")) {
            Response refused = given().header("Authorization", RED_READER).get(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
            assertThat(refused.jsonPath().getString("error")).as(path).isEqualTo("this token may not read mesh blue");
        }
        given().header("Authorization", "Bearer blue-reader-token-0123456789").get("/api/v1/meshes/blue/dataplanes/" + dataplane)
                .then().statusCode(200).body("mesh", equalTo("blue"));
    }

    @Test
    void anotherMeshsEntityAnswersExactlyLikeOneThatDoesNotExist() {
        oneDataplaneInEachMesh();
        String nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
        for (String kind : List.of("dataplanes/", "services/")) {
            String existing = kind.equals("dataplanes/") ? dataplane : "web";
            Response present = given().header("Authorization", RED_READER).get("/api/v1/meshes/blue/" + kind + existing);
            Response absent = given().header("Authorization", RED_READER).get("/api/v1/meshes/blue/" + kind + nobody);
            Response revalidated = given().header("Authorization", RED_READER).header("If-None-Match", "\"2\"")
                    .get("/api/v1/meshes/blue/" + kind + existing);
            Response unknownMesh = given().header("Authorization", RED_READER).get("/api/v1/meshes/" + nobody + "/" + kind + existing);
            for (Response same : List.of(absent, revalidated)) {
                assertThat(same.statusCode()).isEqualTo(present.statusCode()).isEqualTo(403);
                assertThat(same.asString()).isEqualTo(present.asString());
                assertThat(same.header("ETag")).isNull();
            }
            assertThat(unknownMesh.statusCode()).isEqualTo(403);
            assertThat(unknownMesh.asString().replace(nobody, "blue")).isEqualTo(present.asString());
        }
    }

    @Test
    void aScopedLiveStreamCarriesOnlyItsMeshesChanges() throws Exception {
        oneDataplaneInEachMesh();
        assertThat(SseClient.refused("mesh=blue", null, RED_READER).getKey()).isEqualTo(403);
        ChangeEvents.Delivered delivered = new ChangeEvents.Delivered();
        try (SseClient red = SseClient.open("", null, RED_READER)) {
            ChangeEvents.post(ChangeEvents.flips("blue", List.of(dataplane), 1, 2, T0));
            // Blue's changes have gone through the pipeline before red's are even written: had the stream let them pass, they came first.
            awaitProxyVersion("blue", 4);
            ChangeEvents.post(ChangeEvents.flips("red", List.of(dataplane), 1, 2, T0));
            delivered.readUntil(red, d -> d.last("red/" + dataplane) == 4);
        }
        assertThat(delivered.events).allSatisfy(event -> assertThat(Scenarios.parse(event.data()).get("mesh").asText()).isEqualTo("red"));
        assertThat(delivered.versions.keySet()).noneMatch(key -> key.startsWith("blue/"));
    }

    @Test
    void aReadOnlyTokenCannotWriteAndAWriteTokenReadsItsMeshes() {
        oneDataplaneInEachMesh();
        byte[] event = ChangeEvents.flip("red", dataplane, 1, T0.plusSeconds(30)).getBytes(StandardCharsets.UTF_8);
        given().contentType("application/x-ndjson").header("Authorization", RED_READER).body(event).post("/api/v1/events")
                .then().statusCode(403).body("error", equalTo("this token may only read"));
        given().contentType("application/x-ndjson").header("Authorization", RED_WRITER).body(event).post("/api/v1/events")
                .then().statusCode(202);
        awaitProxyVersion("red", 3);
        given().header("Authorization", RED_WRITER).get("/api/v1/meshes/red/dataplanes/" + dataplane).then().statusCode(200)
                .body("version", equalTo(3));
        given().header("Authorization", RED_WRITER).get("/api/v1/meshes/blue/dataplanes/" + dataplane).then().statusCode(403);
    }

    @Test
    void inspectSendsTheTokenOfAFileOrTheOption() throws Exception {
        oneDataplaneInEachMesh();
        String server = "http://127.0.0.1:" + RestAssured.port;
        Cli.Result none = Cli.run("inspect", "meshes", "--server", server);
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("needs a read token").contains("--token-file");

        Path tokenFile = Files.writeString(tmp.resolve("token"), "red-reader-token-0123456789\n");
        Cli.Result meshes = Cli.run("inspect", "meshes", "--server", server, "--token-file", tokenFile.toString(), "-o", "json");
        assertThat(meshes.exitCode()).as(meshes.err()).isZero();
        assertThat(Scenarios.parse(meshes.out()).findValuesAsText("mesh")).containsExactly("red");

        Cli.Result other = Cli.run("inspect", "dataplane", dataplane, "--mesh", "blue", "--server", server,
                "--token", "red-reader-token-0123456789");
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).contains("may not read mesh blue");
        Cli.Result unknown = Cli.run("inspect", "meshes", "--server", server, "--token", "not-a-token-anyone-issued");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("does not know this token").doesNotContain("not-a-token-anyone-issued");
    }

    private void awaitProxyVersion(String mesh, long version) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Response answer = given().header("Authorization", ALL).get("/api/v1/meshes/" + mesh + "/dataplanes/" + dataplane);
            return answer.statusCode() == 200 && answer.jsonPath().getLong("version") >= version;
        });
    }

    private static JsonNode json(io.restassured.response.ValidatableResponse response) {
        return Scenarios.parse(response.extract().asString());
    }
}
