package io.vigil.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vigil.ingest.EventLog;
import io.vigil.ingest.kubernetes.PodWatcher;
import io.vigil.ingest.kubernetes.PodWatcherSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The {@code k8s-watcher} role: a {@link PodWatcher}. The Kubernetes client is only looked up when
 * the role starts, so a process without the role never reads a kubeconfig nor contacts a cluster.
 */
@ApplicationScoped
public class PodWatcherRole implements RoleLifecycle {

    private static final Logger LOG = Logger.getLogger(PodWatcherRole.class);

    private final VigilConfig config;
    private final Instance<KubernetesClient> client;
    private final Instance<EventLog> log;
    private volatile PodWatcher watcher;

    PodWatcherRole(VigilConfig config, Instance<KubernetesClient> client, Instance<EventLog> log) {
        this.config = config;
        this.client = client;
        this.log = log;
    }

    @Override
    public Role role() {
        return Role.K8S_WATCHER;
    }

    @Override
    public void start() {
        VigilConfig.K8sWatcher settings = config.k8sWatcher();
        List<String> namespaces = settings.namespaces().orElse(List.of());
        watcher = new PodWatcher(client.get(), new PodWatcherSettings(namespaces, settings.labelSelector(), settings.resync()),
                log.get(), Clock.systemUTC()).start();
        LOG.infof("k8s-watcher started on %s", namespaces.isEmpty() ? "every namespace" : "namespaces " + namespaces);
    }

    /** Once every informer has listed its pods. */
    @Override
    public boolean ready() {
        PodWatcher running = watcher;
        return running != null && running.synced();
    }

    /** Dataplanes with a known fact. */
    @Override
    public Map<String, Object> readinessData() {
        PodWatcher running = watcher;
        return Map.of("dataplanes", running == null ? 0 : running.dataplanes());
    }

    @Override
    public void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
