package io.vigil.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.Headers;
import io.restassured.specification.RequestSpecification;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every answer carries the security headers, whatever serves it: the web page and its files, the
 * read API's JSON and its errors, the live stream, the write API's refusals, {@code /q/*}.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
class SecurityHeadersTest {

    @ParameterizedTest
    @CsvSource({"GET, /, 200", "GET, /js/app.js, 200", "GET, /vigil.css, 200", "GET, /api/v1/meshes, 200",
            "GET, /api/v1/meshes/nowhere/dataplanes/nobody, 404", "GET, /api/v1/meshes/m/dataplanes?size=0, 400",
            "GET, /no/such/path, 404", "POST, /api/v1/events, 401", "GET, /q/health/live, 200", "GET, /q/openapi, 200"})
    void everyAnswerCarriesTheSecurityHeaders(String method, String path, int status) {
        RequestSpecification request = given();
        if (method.equals("POST")) {
            request.contentType("application/json").body("[]");
        }
        Headers headers = request.request(method, path).then().statusCode(status).extract().headers();
        assertSecurityHeaders(path, headers::getValue);
    }

    @Test
    void theLiveStreamCarriesThemToo() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/api/v1/changes"))
                .header("Accept", "text/event-stream").build();
        // 503 until the views have caught up, just after the start: the headers are there either way.
        HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = stream.body()) {
            assertThat(stream.statusCode()).isIn(200, 503);
            assertSecurityHeaders("/api/v1/changes", name -> stream.headers().firstValue(name).orElse(null));
        }
    }

    /** Asserts the headers of one answer; {@code header} gives a header's value, or null. */
    static void assertSecurityHeaders(String path, Function<String, String> header) {
        assertThat(header.apply("Content-Security-Policy")).as(path).isEqualTo(SecurityHeaders.CONTENT_SECURITY_POLICY)
                .contains("frame-ancestors 'none'").contains("script-src 'self'").doesNotContain("unsafe");
        assertThat(header.apply("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
        assertThat(header.apply("X-Frame-Options")).as(path).isEqualTo("DENY");
        assertThat(header.apply("Referrer-Policy")).as(path).isEqualTo("no-referrer");
    }
}
