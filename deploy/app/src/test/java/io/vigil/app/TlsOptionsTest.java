package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil serve}'s HTTPS options become Quarkus' settings, or a precise refusal before anything starts. */
class TlsOptionsTest {

    @TempDir
    Path tmp;

    @Test
    void aCertificateAndKeyTurnOnHttpsWithPlainHttpNotOpenedByDefault() throws Exception {
        Path cert = Files.writeString(tmp.resolve("cert.pem"), "-");
        Path key = Files.writeString(tmp.resolve("key.pem"), "-");
        assertThat(parse("--tls-cert", cert.toString(), "--tls-key", key.toString()).quarkusProperties(8080))
                .containsEntry("quarkus.http.ssl.certificate.files", cert.toAbsolutePath().toString())
                .containsEntry("quarkus.http.ssl.certificate.key-files", key.toAbsolutePath().toString())
                .containsEntry("quarkus.http.ssl-port", "8443")
                .containsEntry("quarkus.http.insecure-requests", "disabled");
        assertThat(parse("--tls-cert", cert.toString(), "--tls-key", key.toString(), "--insecure-requests", "redirect",
                "--tls-port", "9443").quarkusProperties(8080))
                .containsEntry("quarkus.http.insecure-requests", "redirect").containsEntry("quarkus.http.ssl-port", "9443");
    }

    @Test
    void withoutACertificateNothingChanges() {
        assertThat(parse().quarkusProperties(8080)).isEmpty();
    }

    @Test
    void halfAPairAMissingFileOrAClashingPortIsRefused() throws Exception {
        Path cert = Files.writeString(tmp.resolve("cert.pem"), "-");
        assertThatThrownBy(() -> parse("--tls-cert", cert.toString()).quarkusProperties(8080))
                .isInstanceOf(BadInputException.class).hasMessageContaining("both --tls-cert and --tls-key");
        assertThatThrownBy(() -> parse("--tls-cert", cert.toString(), "--tls-key", tmp.resolve("nope.pem").toString()).quarkusProperties(8080))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--tls-key").hasMessageContaining("nope.pem");
        assertThatThrownBy(() -> parse("--tls-cert", cert.toString(), "--tls-key", cert.toString(), "--tls-port", "8080")
                .quarkusProperties(8080)).isInstanceOf(BadInputException.class).hasMessageContaining("must differ");
        assertThatThrownBy(() -> parse("--insecure-requests", "sometimes")).isInstanceOf(CommandLine.ParameterException.class);
    }

    private static TlsOptions parse(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve.tls;
    }
}
