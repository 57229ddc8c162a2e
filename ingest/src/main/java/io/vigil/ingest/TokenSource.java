package io.vigil.ingest;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The write API's tokens: the tokens file when one is configured; otherwise an all-mesh admin
 * token that the first start creates in {@code <data-dir>/admin-token}, readable by its owner
 * only, and later starts reuse. Says where the token is, never what it is.
 */
@ApplicationScoped
public class TokenSource {

    private static final Logger LOG = Logger.getLogger(TokenSource.class);

    private final Optional<String> tokensFile;
    private final String dataDir;
    private final boolean ingest;
    private volatile Tokens tokens;

    TokenSource(@ConfigProperty(name = "vigil.tokens-file") Optional<String> tokensFile,
                @ConfigProperty(name = "vigil.data-dir", defaultValue = ".vigil") String dataDir,
                @ConfigProperty(name = "vigil.roles", defaultValue = "ingest") List<String> roles) {
        this.tokensFile = tokensFile;
        this.dataDir = dataDir;
        this.ingest = roles.contains("ingest");
    }

    /** The write API's tokens exist from the first start (and a bad tokens file stops it), not from the first request. */
    void loadAtStart(@Observes StartupEvent event) {
        if (ingest) {
            tokens();
        }
    }

    public Tokens tokens() {
        Tokens loaded = tokens;
        if (loaded == null) {
            synchronized (this) {
                if (tokens == null) {
                    tokens = load();
                }
                loaded = tokens;
            }
        }
        return loaded;
    }

    private Tokens load() {
        try {
            if (tokensFile.isPresent()) {
                Path file = Path.of(tokensFile.get());
                Tokens parsed = Tokens.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
                LOG.infof("write API tokens from %s", file.toAbsolutePath());
                return parsed;
            }
            Path file = Path.of(dataDir).resolve("admin-token");
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
