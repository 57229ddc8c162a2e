package io.vigil.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Whether {@code POST /api/v1/events} is served in this process, with the tokens and limits it
 * serves with. Closed until the ingest role opens it at start: a process without the role answers
 * {@code 404}, one whose role is {@linkplain #expect expected} but still starting (it may wait for
 * vigil's topics) {@code 503}. The write API reads nothing else about roles or configuration.
 *
 * <p>Thread-safe: expected and opened on start-up threads, read by request threads.
 */
@ApplicationScoped
public class WriteApi {

    /** What an open write API serves with. */
    public record Settings(Tokens tokens, WriteLimits limits, Optional<MeshCensus> census) {
    }

    private volatile Settings settings;
    private volatile boolean expected;

    /** The ingest role runs in this process and opens the write API once it has started. */
    public void expect() {
        expected = true;
    }

    /** Whether the ingest role runs in this process, open or still starting. */
    public boolean expected() {
        return expected || settings != null;
    }

    /** Opens the write API; a second call replaces the settings. */
    public void open(Tokens tokens, WriteLimits limits, Optional<MeshCensus> census) {
        settings = new Settings(tokens, limits, census);
    }

    /** The settings of the open write API, or null while it is closed. */
    public Settings settings() {
        return settings;
    }
}
