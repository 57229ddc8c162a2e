package io.vigil.app;

import io.vigil.ingest.EventLimits;
import io.vigil.ingest.WriteApi;
import io.vigil.ingest.WriteLimits;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code ingest} role: opens the write API ({@code POST /api/v1/events}) with its tokens and
 * limits. It starts with the process, not with the topics: a bad tokens file stops the start at
 * once, and a request that comes while Kafka is away gets a {@code 503} from the event log.
 */
@ApplicationScoped
public class IngestRole implements RoleLifecycle {

    private final VigilConfig config;
    private final WriteApi api;
    private final AccessTokens tokens;

    IngestRole(VigilConfig config, WriteApi api, AccessTokens tokens) {
        this.config = config;
        this.api = api;
        this.tokens = tokens;
    }

    @Override
    public Role role() {
        return Role.INGEST;
    }

    @Override
    public boolean needsTopics() {
        return false;
    }

    @Override
    public void start() {
        api.open(tokens.tokens(), limits(config.ingest()));
    }

    static WriteLimits limits(VigilConfig.Ingest ingest) {
        VigilConfig.Ingest.Limits event = ingest.limits();
        return new WriteLimits(ingest.maxBodyBytes(), ingest.maxEventBytes(), ingest.requestTimeout(),
                new EventLimits(event.maxTextLength(), event.maxInbounds(), event.maxTags(), event.maxContainers(), event.minProbeInterval()));
    }

    @Override
    public boolean ready() {
        return api.settings() != null;
    }

    @Override
    public void stop() {
        // The event log flushes and closes itself at shutdown, after the roles that write to it stopped.
    }
}
