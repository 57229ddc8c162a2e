package io.vigil.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code vigil serve}'s HTTPS options: a PEM certificate (chain) and its private key turn on TLS
 * for the HTTP API, on its own port, and say what the plain HTTP port does meanwhile. They become
 * Quarkus' runtime settings ({@code quarkus.http.ssl.*}, {@code quarkus.http.insecure-requests}).
 */
final class TlsOptions {

    /** What the plain HTTP port does while TLS is on (Quarkus' {@code quarkus.http.insecure-requests}). */
    enum Plaintext {
        /** Not opened at all: nothing, not even a token, travels in clear text. */
        disabled,
        /** Answers every request with a 301 to the same path over HTTPS. */
        redirect,
        /** Serves everything over plain HTTP too. */
        enabled
    }

    @Option(names = "--tls-cert", paramLabel = "FILE", defaultValue = "${env:VIGIL_TLS_CERT}",
            description = "PEM certificate (chain) for HTTPS; with --tls-key turns TLS on (env VIGIL_TLS_CERT).")
    Path certificate;

    @Option(names = "--tls-key", paramLabel = "FILE", defaultValue = "${env:VIGIL_TLS_KEY}",
            description = "PEM private key of --tls-cert (env VIGIL_TLS_KEY).")
    Path key;

    @Option(names = "--tls-port", paramLabel = "N", defaultValue = "${env:VIGIL_TLS_PORT:-8443}",
            description = "HTTPS port (env VIGIL_TLS_PORT; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--insecure-requests", paramLabel = "WHAT", defaultValue = "${env:VIGIL_INSECURE_REQUESTS:-disabled}",
            description = "With TLS, what the plain HTTP port does: disabled (not opened), redirect (to HTTPS) or enabled "
                    + "(env VIGIL_INSECURE_REQUESTS; default: ${DEFAULT-VALUE}).")
    Plaintext plaintext;

    /**
     * The Quarkus settings these options make; none when TLS is off.
     *
     * @param httpPort the plain HTTP port, which the HTTPS port must differ from
     * @throws BadInputException when only one of certificate and key is given, a file cannot be
     *                           read, or the port is out of range or the HTTP port's
     */
    Map<String, String> quarkusProperties(int httpPort) {
        if (certificate == null && key == null) {
            return Map.of();
        }
        if (certificate == null || key == null) {
            throw new BadInputException("HTTPS needs both --tls-cert and --tls-key (env VIGIL_TLS_CERT, VIGIL_TLS_KEY)");
        }
        readable("--tls-cert", certificate);
        readable("--tls-key", key);
        if (port < 0 || port > 65535) {
            throw new BadInputException("--tls-port must be from 0 to 65535, got " + port);
        }
        if (port == httpPort && port != 0) {
            throw new BadInputException("--tls-port and --port must differ, both are " + port);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.http.ssl.certificate.files", certificate.toAbsolutePath().toString());
        properties.put("quarkus.http.ssl.certificate.key-files", key.toAbsolutePath().toString());
        properties.put("quarkus.http.ssl-port", Integer.toString(port));
        properties.put("quarkus.http.insecure-requests", plaintext.name());
        return properties;
    }

    private static void readable(String option, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new BadInputException(option + " " + file.toAbsolutePath() + ": no such readable file");
        }
    }
}
