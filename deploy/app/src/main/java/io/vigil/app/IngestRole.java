package io.vigil.app;

import io.vigil.ingest.EventLimits;
import io.vigil.ingest.EventLog;
import io.vigil.ingest.MeshCensus;
import io.vigil.ingest.StaleDataplanes;
import io.vigil.ingest.WriteApi;
import io.vigil.ingest.WriteLimits;
import io.vigil.schemas.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * The {@code ingest} role: opens the write API ({@code POST /api/v1/events}) with its tokens and
 * limits. It starts with the process, not with the topics: a bad tokens file stops the start at
 * once, and a request that comes while Kafka is away gets a {@code 503} from the event log. Only
 * with a cap on dataplanes per mesh or a stale-after does it wait for the topics, as its
 * {@link MeshCensus} reads the spec topic and its {@link StaleDataplanes} the proxy changes.
 */
@ApplicationScoped
public class IngestRole implements RoleLifecycle {

    private final VigilConfig config;
    private final WriteApi api;
    private final AccessTokens tokens;
    private final KafkaClients clients;
    private final EventLog log;
    private MeshCensus census;
    private StaleDataplanes stale;

    IngestRole(VigilConfig config, WriteApi api, AccessTokens tokens, KafkaClients clients, EventLog log) {
        this.config = config;
        this.api = api;
        this.tokens = tokens;
        this.clients = clients;
        this.log = log;
    }

    @Override
    public Role role() {
        return Role.INGEST;
    }

    @Override
    public boolean needsTopics() {
        return config.ingest().limits().maxDataplanesPerMesh().isPresent() || config.ingest().staleAfter().isPresent();
    }

    /** Writes answer 503, not 404, while the start waits for the topics the census and the stale cleanup read. */
    @Override
    public void starting() {
        api.expect();
    }

    @Override
    public void start() {
        census = config.ingest().limits().maxDataplanesPerMesh().stream()
                .mapToObj(cap -> new MeshCensus(clients, cap).start()).findFirst().orElse(null);
        api.open(tokens.tokens(), limits(config.ingest()), Optional.ofNullable(census));
        stale = config.ingest().staleAfter().map(after -> new StaleDataplanes(clients, log, after, Clock.systemUTC()).start()).orElse(null);
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
        if (census != null) {
            census.close();
        }
        if (stale != null) {
            stale.close();
        }
    }
}
