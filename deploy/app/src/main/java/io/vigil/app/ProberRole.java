package io.vigil.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.ingest.EventLog;
import io.vigil.ingest.prober.AllowedNetworks;
import io.vigil.ingest.prober.HttpGetCheck;
import io.vigil.ingest.prober.ProbeRunner;
import io.vigil.ingest.prober.ProbeTargets;
import io.vigil.ingest.prober.Prober;
import io.vigil.ingest.prober.ProberMetrics;
import io.vigil.ingest.prober.TargetFeed;
import io.vigil.ingest.prober.TcpConnectCheck;
import io.vigil.schemas.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * The {@code prober} role: learns its targets from the dataplane specs ({@link TargetFeed}, its own
 * thread) and probes them ({@link Prober}, Reactor). A bad {@code vigil.prober.allowed-networks}
 * fails its start.
 */
@ApplicationScoped
public class ProberRole implements RoleLifecycle {

    private static final Logger LOG = Logger.getLogger(ProberRole.class);

    private final VigilConfig config;
    private final MeterRegistry registry;
    private final EventLog eventLog;
    private final KafkaClients clients;
    private volatile TargetFeed feed;
    private volatile Prober prober;

    ProberRole(VigilConfig config, MeterRegistry registry, EventLog eventLog, KafkaClients clients) {
        this.config = config;
        this.registry = registry;
        this.eventLog = eventLog;
        this.clients = clients;
    }

    @Override
    public Role role() {
        return Role.PROBER;
    }

    @Override
    public void start() {
        VigilConfig.Prober settings = config.prober();
        AllowedNetworks allowed = AllowedNetworks.of(settings.allowedNetworks());
        ProbeTargets targets = new ProbeTargets(settings.maxConcurrencyPerMesh());
        ProberMetrics metrics = new ProberMetrics(registry, targets);
        ProbeRunner runner = new ProbeRunner(allowed, targets, new TcpConnectCheck(), new HttpGetCheck(), metrics);
        prober = new Prober(targets, runner, eventLog, metrics, Clock.systemUTC(), settings.tick(), settings.maxConcurrency()).start();
        feed = new TargetFeed(clients, targets).start();
        LOG.infof("prober started; it may connect to %s", settings.allowedNetworks());
    }

    @Override
    public boolean ready() {
        return feed != null;
    }

    /** Before the event log closes its producer ({@link Roles} stops roles first), so no result goes to a closed log. */
    @Override
    public void stop() {
        if (feed != null) {
            feed.close();
        }
        if (prober != null) {
            prober.close();
        }
    }
}
