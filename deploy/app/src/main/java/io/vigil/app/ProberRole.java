package io.vigil.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * The {@code prober} role: learns its targets from the dataplane specs ({@link TargetFeed}, its own
 * thread) and probes them ({@link Prober}, Reactor), started once the topics exist and stopped when
 * vigil shuts down. A bad {@code vigil.prober.allowed-networks} fails the start.
 */
@ApplicationScoped
public class ProberRole {

    private static final Logger LOG = Logger.getLogger(ProberRole.class);

    private final VigilConfig config;
    private final TopicBootstrap topics;
    private final MeterRegistry registry;
    private final EventLog eventLog;
    private final KafkaClients clients;
    private volatile AllowedNetworks allowed;
    private volatile TargetFeed feed;
    private volatile Prober prober;
    private volatile boolean stopping;

    ProberRole(VigilConfig config, TopicBootstrap topics, MeterRegistry registry, EventLog eventLog, KafkaClients clients) {
        this.config = config;
        this.topics = topics;
        this.registry = registry;
        this.eventLog = eventLog;
        this.clients = clients;
    }

    public boolean enabled() {
        return config.roles().contains(Role.PROBER.cliName());
    }

    void start(@Observes StartupEvent event) {
        if (!enabled()) {
            return;
        }
        // Parsed here, not when the topics exist, so a bad network list fails the start at once.
        allowed = AllowedNetworks.of(config.prober().allowedNetworks());
        Thread starter = new Thread(this::startWhenTopicsExist, "vigil-prober-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void startWhenTopicsExist() {
        topics.awaitProvisioned();
        if (topics.provisioned()) {
            startProbing();
        }
    }

    /** Synchronized with {@link #stop}, but not the wait for topics, which would hold up a shutdown. */
    private synchronized void startProbing() {
        if (stopping) {
            return;
        }
        VigilConfig.Prober settings = config.prober();
        ProbeTargets targets = new ProbeTargets();
        ProberMetrics metrics = new ProberMetrics(registry, targets);
        ProbeRunner runner = new ProbeRunner(allowed, targets, new TcpConnectCheck(), new HttpGetCheck(), metrics);
        prober = new Prober(targets, runner, eventLog, metrics, Clock.systemUTC(), settings.tick(), settings.maxConcurrency()).start();
        feed = new TargetFeed(clients, targets).start();
        LOG.infof("prober started; it may connect to %s", settings.allowedNetworks());
    }

    /** Runs before {@link EventLog} closes its producer (a lower priority is notified first), so no result is sent to a closed log. */
    synchronized void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping = true;
        if (feed != null) {
            feed.close();
        }
        if (prober != null) {
            prober.close();
        }
    }
}
