package io.vigil.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Whether {@code POST /api/v1/events} is served in this process, with the tokens and limits it
 * serves with. Closed until the ingest role opens it at start (a process without the role answers
 * {@code 404}); the write API reads nothing else about roles or configuration.
 *
 * <p>Thread-safe: opened once on the start-up thread, read by request threads.
 */
@ApplicationScoped
public class WriteApi {

    /** What an open write API serves with. */
    public record Settings(Tokens tokens, WriteLimits limits, Optional<MeshCensus> census) {
    }

    private volatile Settings settings;

    /** Opens the write API; a second call replaces the settings. */
    public void open(Tokens tokens, WriteLimits limits, Optional<MeshCensus> census) {
        settings = new Settings(tokens, limits, census);
    }

    /** The settings of the open write API, or null while it is closed. */
    public Settings settings() {
        return settings;
    }
}
