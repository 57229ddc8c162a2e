package io.vigil.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Where the API's tokens come from: the tokens file when one is configured; otherwise an
 * all-mesh admin token that the first start creates in {@code <data-dir>/admin-token} and later
 * starts reuse. The admin token file appears atomically, whole and readable by its owner only
 * from its first moment. Says where tokens are, never what they are: warnings about the tokens
 * file name the line. Stateless.
 */
public final class TokenSource {

    /** The admin token's file name in the data dir. */
    public static final String ADMIN_TOKEN = "admin-token";

    private static final Logger LOG = Logger.getLogger(TokenSource.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private TokenSource() {
    }

    /**
     * The tokens, read (or created) now.
     *
     * @throws UncheckedIOException when the tokens file cannot be read or the admin token cannot be created
     * @throws IllegalArgumentException naming the file and line when the tokens file is malformed (an
     *                                  empty token included), or when the admin token file is empty
     */
    public static Tokens load(Optional<Path> tokensFile, Path dataDir) {
        try {
            if (tokensFile.isPresent()) {
                return fromFile(tokensFile.get().toAbsolutePath());
            }
            Path file = dataDir.resolve(ADMIN_TOKEN).toAbsolutePath();
            if (create(file)) {
                LOG.infof("created an all-mesh API token in %s (readable by its owner only)", file);
            } else {
                LOG.infof("API token: %s", file);
                warnIfOthersMayRead(file);
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException(file + " is empty: delete it and the next start creates a new admin token, "
                        + "or give a tokens file");
            }
            return Tokens.admin(token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API tokens: " + e.getMessage(), e);
        }
    }

    private static Tokens fromFile(Path file) throws IOException {
        Tokens tokens;
        try {
            tokens = Tokens.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        for (String warning : tokens.warnings()) {
            LOG.warnf("%s: %s", file, warning);
        }
        LOG.infof("API tokens from %s", file);
        return tokens;
    }

    /**
     * Writes a new random token to {@code file} unless it exists. The token is written and synced to
     * an owner-only draft first, which is then hard-linked as {@code file}: the link appears
     * atomically, with the whole token, and fails if another start created the file meanwhile, so
     * no reader ever sees a partial or a second token.
     *
     * @return whether this call created the file
     */
    private static boolean create(Path file) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path draft = Files.createTempFile(dir, "." + ADMIN_TOKEN + "-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (FileChannel channel = FileChannel.open(draft, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap((newToken() + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.createLink(file, draft);
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        } finally {
            Files.deleteIfExists(draft);
        }
    }

    private static String newToken() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static void warnIfOthersMayRead(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
            LOG.warnf("%s may be read by others than its owner (%s): chmod 600 it", file, PosixFilePermissions.toString(permissions));
        }
    }
}
