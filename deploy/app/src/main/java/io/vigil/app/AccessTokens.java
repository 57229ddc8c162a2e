package io.vigil.app;

import io.quarkus.runtime.StartupEvent;
import io.vigil.ingest.TokenSource;
import io.vigil.ingest.Tokens;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.nio.file.Path;

/**
 * The API's tokens in this process (the tokens file, or the admin token in the data dir), read
 * once. They are read at start when something here checks them: the ingest role (writes always
 * need a token) or the read API with {@code vigil.require-read-token}; a bad tokens file then
 * stops the start, naming its line.
 *
 * <p>Thread-safe: read once under this object's monitor, then by any request thread.
 */
@ApplicationScoped
public class AccessTokens {

    private final VigilConfig config;
    private final Roles roles;
    private volatile Tokens tokens;

    AccessTokens(VigilConfig config, Roles roles) {
        this.config = config;
        this.roles = roles;
    }

    /** Before the roles start, so that the ingest role finds them read. */
    void readAtStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (roles.runs(Role.INGEST) || readsNeedToken()) {
            tokens();
        }
    }

    /** Whether reads need a token ({@code vigil.require-read-token}); without one they see every mesh. */
    public boolean readsNeedToken() {
        return config.requireReadToken();
    }

    /**
     * The tokens, read on the first call.
     *
     * @throws IllegalArgumentException naming the file and line when the tokens file is malformed
     */
    public Tokens tokens() {
        Tokens read = tokens;
        if (read == null) {
            synchronized (this) {
                read = tokens;
                if (read == null) {
                    read = TokenSource.load(config.tokensFile().map(Path::of), Path.of(config.dataDir()));
                    tokens = read;
                }
            }
        }
        return read;
    }
}
