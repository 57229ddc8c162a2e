package io.vigil.app;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The role switch: decides from {@code vigil.roles} which roles run in this process, starts each
 * at start-up (a role that needs vigil's topics once {@link TopicBootstrap} has them, on a thread
 * of its own so a slow Kafka holds up nothing), stops them at shutdown in the reverse of
 * {@link Role}'s order (so the prober and the pod watcher stop before the ingest role's event log
 * closes, and the aggregator commits before the embedded broker stops), and reports each role's
 * readiness as a check named after it. Nothing else reads {@code vigil.roles}.
 *
 * <p>Thread-safe: start and stop are synchronized with each other; readiness reads volatile state.
 */
@ApplicationScoped
public class Roles {

    private static final Logger LOG = Logger.getLogger(Roles.class);

    private final Set<Role> active;
    private final Map<Role, RoleLifecycle> lifecycles = new EnumMap<>(Role.class);
    private final TopicBootstrap topics;
    private boolean stopping;

    Roles(VigilConfig config, TopicBootstrap topics, Instance<RoleLifecycle> all) {
        this.active = Role.parse(config.roles());
        this.topics = topics;
        for (RoleLifecycle lifecycle : all) {
            lifecycles.put(lifecycle.role(), lifecycle);
        }
        for (Role role : Role.values()) {
            if (!lifecycles.containsKey(role)) {
                throw new IllegalStateException("no lifecycle declared for role " + role.cliName());
            }
        }
    }

    public boolean runs(Role role) {
        return active.contains(role);
    }

    void start(@Observes StartupEvent event) {
        for (Role role : active) {
            RoleLifecycle lifecycle = lifecycles.get(role);
            lifecycle.starting();
            if (!lifecycle.needsTopics()) {
                lifecycle.start();
                continue;
            }
            Thread starter = new Thread(() -> startWhenTopicsExist(lifecycle), "vigil-" + role.cliName() + "-start");
            starter.setDaemon(true);
            starter.start();
        }
    }

    private void startWhenTopicsExist(RoleLifecycle lifecycle) {
        topics.awaitProvisioned();
        // Under the lock so that a shutdown meanwhile either prevents the start or stops what started.
        synchronized (this) {
            if (stopping || !topics.provisioned()) {
                return;
            }
            try {
                lifecycle.start();
            } catch (RuntimeException e) {
                LOG.errorf(e, "the %s role failed to start; it stays not ready", lifecycle.role().cliName());
            }
        }
    }

    /** Before the beans the roles use (the event log, the admin client) close: those observe at the default priority. */
    synchronized void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping = true;
        List<Role> order = new ArrayList<>(active);
        order.sort(Comparator.reverseOrder());
        for (Role role : order) {
            try {
                lifecycles.get(role).stop();
            } catch (RuntimeException e) {
                LOG.warnf(e, "stopping the %s role failed", role.cliName());
            }
        }
    }

    @Produces
    @Readiness
    HealthCheck ingestReadiness() {
        return () -> readiness(Role.INGEST);
    }

    @Produces
    @Readiness
    HealthCheck proberReadiness() {
        return () -> readiness(Role.PROBER);
    }

    @Produces
    @Readiness
    HealthCheck aggregatorReadiness() {
        return () -> readiness(Role.AGGREGATOR);
    }

    @Produces
    @Readiness
    HealthCheck projectionsReadiness() {
        return () -> readiness(Role.PROJECTIONS);
    }

    @Produces
    @Readiness
    HealthCheck k8sWatcherReadiness() {
        return () -> readiness(Role.K8S_WATCHER);
    }

    /** UP for a role that does not run here (it has nothing to wait for), else the role's own readiness. */
    private HealthCheckResponse readiness(Role role) {
        var response = HealthCheckResponse.named(role.cliName());
        if (!runs(role)) {
            return response.up().withData("role", "not running here").build();
        }
        RoleLifecycle lifecycle = lifecycles.get(role);
        response.status(lifecycle.ready());
        lifecycle.readinessData().forEach((name, value) -> response.withData(name, String.valueOf(value)));
        return response.build();
    }
}
