package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vigil.kafka.EmbeddedKafkaTestResource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * HTTPS with a certificate made for the test ({@link TestCertificate}), plain HTTP redirected to
 * it, and a Host allow-list: the API answers over TLS to a client that trusts the certificate and
 * to {@code vigil inspect --cacert}, a client that does not is refused, plain HTTP gets a
 * redirect to the same path over HTTPS, and a Host outside the list gets 421.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaTestResource.class)
@TestProfile(TransportSecurityTest.Https.class)
class TransportSecurityTest {

    /** TLS from PEM files on a free port, plaintext redirected, two allowed host names. */
    public static class Https implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestCertificate certificate = TestCertificate.shared();
            return Map.of("quarkus.http.ssl.certificate.files", certificate.certificate().toString(),
                    "quarkus.http.ssl.certificate.key-files", certificate.key().toString(),
                    // A fixed port rather than 0: Quarkus' redirect names the configured port.
                    "quarkus.http.test-ssl-port", Integer.toString(httpsPort()),
                    "quarkus.http.insecure-requests", "redirect",
                    "vigil.http.allowed-hosts", "127.0.0.1,localhost");
        }
    }

    private final TestCertificate certificate = TestCertificate.shared();

    @Test
    void httpsServesTheApiToAClientThatTrustsTheCertificate() throws Exception {
        HttpClient trusting = HttpClient.newBuilder().sslContext(PemTrust.sslContext("test", certificate.certificate())).build();
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            HttpResponse<String> meshes = trusting.send(get("https://" + host + ":" + httpsPort() + "/api/v1/meshes"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(meshes.statusCode()).isEqualTo(200);
            assertThat(meshes.body()).startsWith("[");
            SecurityHeadersTest.assertSecurityHeaders("https " + host, name -> meshes.headers().firstValue(name).orElse(null));
        }
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(get("https://127.0.0.1:" + httpsPort() + "/api/v1/meshes"),
                HttpResponse.BodyHandlers.discarding())).as("a client that does not trust it").isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpIsRedirectedToTheSamePathOverHttps() throws Exception {
        int httpPort = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        // HTTP/1.1: Quarkus' redirect reads the Host header, which an h2c upgrade would turn into :authority.
        HttpResponse<String> plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                get("http://127.0.0.1:" + httpPort + "/api/v1/state?mesh=default"), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(301);
        assertThat(plain.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + httpsPort() + "/api/v1/state?mesh=default");
        assertThat(plain.body()).as("nothing is served in clear text").isEmpty();
    }

    @Test
    void aHostOutsideTheAllowListIsRefusedWith421() throws Exception {
        String refused = rawHttps("evil.example");
        assertThat(statusLine(refused)).startsWith("HTTP/1.1 421");
        assertThat(refused).contains("this server does not answer for host 'evil.example'").contains("vigil.http.allowed-hosts")
                .contains("X-Content-Type-Options: nosniff").doesNotContain("\"mesh\"");
        assertThat(statusLine(rawHttps("127.0.0.1:" + httpsPort()))).isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusLine(rawHttps("LOCALHOST."))).as("case and a trailing dot do not matter").isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusLine(rawHttps("127.0.0.1.evil.example"))).startsWith("HTTP/1.1 421");
    }

    @Test
    void inspectTrustsTheCertificateGivenWithCacert() {
        String server = "https://127.0.0.1:" + httpsPort();
        Cli.Result trusted = Cli.run("inspect", "meshes", "--server", server, "--cacert", certificate.certificate().toString());
        assertThat(trusted.exitCode()).as(trusted.err()).isZero();
        Cli.Result untrusted = Cli.run("inspect", "meshes", "--server", server);
        assertThat(untrusted.exitCode()).isEqualTo(1);
        assertThat(untrusted.err()).contains("cannot verify vigil's certificate").contains("--cacert");
        Cli.Result notPem = Cli.run("inspect", "meshes", "--server", server, "--cacert", certificate.key().toString());
        assertThat(notPem.exitCode()).isEqualTo(2);
        assertThat(notPem.err()).contains("--cacert").contains("certificate");
    }

    /** The HTTPS port the profile chose: one free port per test JVM, remembered where Quarkus' class loaders see it too. */
    static int httpsPort() {
        String port = System.getProperty("io.vigil.test.https-port");
        if (port == null) {
            try (ServerSocket free = new ServerSocket(0)) {
                port = Integer.toString(free.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty("io.vigil.test.https-port", port);
        }
        return Integer.parseInt(port);
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    }

    /** GET /api/v1/meshes over TLS with this Host header, which Java's HTTP client will not let a caller set. */
    private String rawHttps(String host) throws IOException {
        try (SSLSocket socket = (SSLSocket) PemTrust.sslContext("test", certificate.certificate()).getSocketFactory()
                .createSocket("127.0.0.1", httpsPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/meshes HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String statusLine(String response) {
        return response.substring(0, response.indexOf("\r\n"));
    }
}
