package io.vigil.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Where the write API's tokens come from: the tokens file when one is configured; otherwise an
 * all-mesh admin token that the first start creates in {@code <data-dir>/admin-token}, readable by
 * its owner only, and later starts reuse. Says where the token is, never what it is. Stateless.
 */
public final class TokenSource {

    private static final Logger LOG = Logger.getLogger(TokenSource.class);

    private TokenSource() {
    }

    /**
     * The tokens, read (or created) now.
     *
     * @throws UncheckedIOException when the tokens file cannot be read or the admin token cannot be created
     * @throws IllegalArgumentException when the tokens file is malformed
     */
    public static Tokens load(Optional<Path> tokensFile, Path dataDir) {
        try {
            if (tokensFile.isPresent()) {
                Path file = tokensFile.get();
                Tokens parsed = Tokens.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
                LOG.infof("write API tokens from %s", file.toAbsolutePath());
                return parsed;
            }
            Path file = dataDir.resolve("admin-token");
            if (!Files.exists(file)) {
                create(file);
                LOG.infof("created an all-mesh write API token in %s (readable by its owner only)", file.toAbsolutePath());
            } else {
                LOG.infof("write API token: %s", file.toAbsolutePath());
            }
            return Tokens.admin(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the write API tokens: " + e.getMessage(), e);
        }
    }
    private static void create(Path file) throws IOException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
    }
}
