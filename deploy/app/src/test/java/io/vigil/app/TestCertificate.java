package io.vigil.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made fresh by the JDK's own {@code keytool}
 * (no checked-in key that could leak or expire, no extra library) and written as the PEM files
 * {@code vigil serve --tls-cert/--tls-key} take. One per test JVM: its directory is remembered in
 * a system property, which Quarkus' class loaders share with the test's.
 */
record TestCertificate(Path certificate, Path key) {

    private static final String DIR_PROPERTY = "io.vigil.test.certificate-dir";
    private static final char[] PASSWORD = "test-only".toCharArray();

    /** The JVM's certificate, made on first use. */
    static synchronized TestCertificate shared() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null) {
            try {
                Path made = Files.createTempDirectory("vigil-test-tls");
                make(made);
                dir = made.toString();
                System.setProperty(DIR_PROPERTY, dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new TestCertificate(Path.of(dir, "cert.pem"), Path.of(dir, "key.pem"));
    }

    private static void make(Path dir) throws IOException {
        Path keyStore = dir.resolve("keystore.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "vigil", "-keyalg", "RSA", "-keysize", "2048", "-validity", "7",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        try {
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            PrivateKey key = (PrivateKey) store.getKey("vigil", PASSWORD);
            Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", store.getCertificate("vigil").getEncoded()));
            Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
