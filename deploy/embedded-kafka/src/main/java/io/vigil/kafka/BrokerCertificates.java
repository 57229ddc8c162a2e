package io.vigil.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority of the broker's own and the broker's certificate signed by it, made with
 * the JDK's {@code keytool} (no extra dependency): {@value #CA_KEYSTORE} holds the CA's key,
 * {@value #CA_CERTIFICATE} its certificate in PEM (what clients trust, as {@code ssl.truststore.type=PEM}),
 * {@value #BROKER_KEYSTORE} the broker's key and certificate chain (PKCS12). The broker's
 * certificate names 127.0.0.1 (and localhost), where it listens, and serves for both ends of TLS:
 * clients check it, and the broker presents it as a client of its own controller listener.
 *
 * <p>The store password reaches keytool through its environment ({@code -storepass:env}), never
 * its command line, which other users of the machine can read. Stateless; blocks while keytool runs.
 */
final class BrokerCertificates {

    static final String CA_KEYSTORE = "ca.p12";
    static final String CA_CERTIFICATE = "ca.crt";
    static final String BROKER_KEYSTORE = "broker.p12";
    /** The broker certificate's subject, which is also its principal on the SSL controller listener. */
    static final String BROKER_SUBJECT = "CN=vigil-embedded-broker";

    private static final String CA_SUBJECT = "CN=vigil embedded Kafka CA";
    private static final String PASSWORD_VARIABLE = "VIGIL_KEYSTORE_PASSWORD";
    private static final String VALIDITY_DAYS = "3650";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private BrokerCertificates() {
    }

    /** Makes the CA and the broker's certificate in {@code dir}, each key store locked with {@code storePassword}. */
    static void create(Path dir, String storePassword) throws IOException {
        String ca = dir.resolve(CA_KEYSTORE).toString();
        String broker = dir.resolve(BROKER_KEYSTORE).toString();
        String caCertificate = dir.resolve(CA_CERTIFICATE).toString();
        String request = dir.resolve("broker.csr").toString();
        String signed = dir.resolve("broker.crt").toString();
        keytool(storePassword, "-genkeypair", "-alias", "ca", "-dname", CA_SUBJECT, "-ext", "bc:c", "-keystore", ca);
        keytool(storePassword, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-file", caCertificate);
        keytool(storePassword, "-genkeypair", "-alias", "broker", "-dname", BROKER_SUBJECT, "-keystore", broker);
        keytool(storePassword, "-certreq", "-alias", "broker", "-keystore", broker, "-file", request);
        keytool(storePassword, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca, "-infile", request, "-outfile", signed,
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "ku:c=digitalSignature", "-ext", "eku=serverAuth,clientAuth");
        // The reply is installed over the broker's key only once its issuer is trusted in the same store.
        keytool(storePassword, "-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate, "-keystore", broker);
        keytool(storePassword, "-importcert", "-noprompt", "-alias", "broker", "-file", signed, "-keystore", broker);
        Files.delete(Path.of(request));
        Files.delete(Path.of(signed));
    }

    private static void keytool(String storePassword, String command, String... arguments) throws IOException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), command));
        line.addAll(List.of(arguments));
        line.addAll(List.of("-storetype", "PKCS12", "-storepass:env", PASSWORD_VARIABLE));
        if (command.equals("-genkeypair")) {
            line.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", VALIDITY_DAYS));
        } else if (command.equals("-gencert")) {
            line.addAll(List.of("-validity", VALIDITY_DAYS));
        }
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, storePassword);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool " + command + " did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while keytool " + command + " ran", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + command + " failed (status " + process.exitValue() + "): " + output);
        }
    }
}
