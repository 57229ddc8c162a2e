package io.vigil.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An SSL context that trusts exactly the certificates of a PEM file: a server's own self-signed
 * certificate or the CA that signed it, as curl's {@code --cacert}. Host names are still checked
 * against the certificate. Stateless.
 */
final class PemTrust {

    private PemTrust() {
    }

    /**
     * @param option the command-line option that named the file, for error messages
     * @throws BadInputException when the file is missing or holds no PEM certificate
     */
    static SSLContext sslContext(String option, Path pem) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new BadInputException(option + " " + pem.toAbsolutePath() + ": no such file");
        } catch (CertificateException e) {
            throw new BadInputException(option + " " + pem.toAbsolutePath() + ": not PEM certificates (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pem.toAbsolutePath(), e);
        }
        if (certificates.isEmpty()) {
            throw new BadInputException(option + " " + pem.toAbsolutePath() + ": no certificate in it");
        }
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("trusted-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the certificates of " + pem.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
